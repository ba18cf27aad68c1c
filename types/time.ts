/**
 * Time in grokdrive is nanoseconds since the Unix epoch as a `bigint`, the same as MCAP's
 * log times. Convert to seconds only at the edges (printing, plotting, kinematics).
 */
export type TimeNs = bigint;

export const NS_PER_SECOND = 1_000_000_000n;

export function nsToSeconds(t: TimeNs): number {
  return Number(t) / 1e9;
}

export function secondsToNs(s: number): TimeNs {
  if (!Number.isFinite(s)) throw new RangeError(`time ${s} s is not a finite number`);
  return BigInt(Math.round(s * 1e9));
}

/** Seconds from `a` to `b` (b - a), exact enough for drive lengths. */
export function secondsBetween(a: TimeNs, b: TimeNs): number {
  return Number(b - a) / 1e9;
}
