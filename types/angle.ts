/** Wrap an angle to (-pi, pi]. Shared by sensors and planners, which know nothing of each other. */
export function wrapAngle(a: number): number {
  let v = a % (2 * Math.PI);
  if (v <= -Math.PI) v += 2 * Math.PI;
  else if (v > Math.PI) v -= 2 * Math.PI;
  return v;
}
