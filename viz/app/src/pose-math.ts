/** Rigid-transform arithmetic on plain {position, orientation} poses (Hamilton quaternions). */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}
export interface Quat {
  x: number;
  y: number;
  z: number;
  w: number;
}
export interface Pose {
  position: Vec3;
  orientation: Quat;
}

export const identityPose = (): Pose => ({ position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } });

export function rotate(q: Quat, v: Vec3): Vec3 {
  // v' = v + 2w (q x v) + 2 q x (q x v)
  const tx = 2 * (q.y * v.z - q.z * v.y);
  const ty = 2 * (q.z * v.x - q.x * v.z);
  const tz = 2 * (q.x * v.y - q.y * v.x);
  return {
    x: v.x + q.w * tx + (q.y * tz - q.z * ty),
    y: v.y + q.w * ty + (q.z * tx - q.x * tz),
    z: v.z + q.w * tz + (q.x * ty - q.y * tx),
  };
}

export function quatMultiply(a: Quat, b: Quat): Quat {
  return {
    w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
    x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
  };
}

export function conjugate(q: Quat): Quat {
  return { x: -q.x, y: -q.y, z: -q.z, w: q.w };
}

/** Point given in the pose's child frame -> parent frame. */
export function transformPoint(p: Pose, v: Vec3): Vec3 {
  const r = rotate(p.orientation, v);
  return { x: r.x + p.position.x, y: r.y + p.position.y, z: r.z + p.position.z };
}

/** a ∘ b: b expressed in a's child frame -> b in a's parent frame. */
export function compose(a: Pose, b: Pose): Pose {
  return { position: transformPoint(a, b.position), orientation: quatMultiply(a.orientation, b.orientation) };
}

export function invert(p: Pose): Pose {
  const qi = conjugate(p.orientation);
  const t = rotate(qi, p.position);
  return { position: { x: -t.x, y: -t.y, z: -t.z }, orientation: qi };
}

/** Heading about +z (radians, counter-clockwise from +x). */
export function yawOf(q: Quat): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}
