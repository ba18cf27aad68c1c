/**
 * SE(3) and SE(2) poses: composition, inversion, interpolation, Euler angles, and a time-indexed
 * track of poses. Quaternions are Hamilton (x, y, z, w) as in ROS and Foxglove; Euler angles are
 * roll about x, pitch about y, yaw about z, applied as R = Rz(yaw) * Ry(pitch) * Rx(roll)
 * (the convention of KITTI's OXTS and of ROS `setRPY`).
 */
import { wrapAngle } from '../types/angle.js';
import type { Pose2, Pose3, Quat, Vec3 } from '../types/geometry.js';
import type { TimeNs } from '../types/time.js';

/** Row-major 3x3 matrix: [r00, r01, r02, r10, r11, r12, r20, r21, r22]. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export const IDENTITY_QUAT: Readonly<Quat> = Object.freeze({ x: 0, y: 0, z: 0, w: 1 });

export function identityPose3(): Pose3 {
  return { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };
}

// ---------------------------------------------------------------------------------------------
// Vectors

export function vec3(x: number, y: number, z: number): Vec3 {
  return { x, y, z };
}

export function addVec3(a: Vec3, b: Vec3): Vec3 {
  return { x: a.x + b.x, y: a.y + b.y, z: a.z + b.z };
}

export function subVec3(a: Vec3, b: Vec3): Vec3 {
  return { x: a.x - b.x, y: a.y - b.y, z: a.z - b.z };
}

export function scaleVec3(a: Vec3, s: number): Vec3 {
  return { x: a.x * s, y: a.y * s, z: a.z * s };
}

export function dotVec3(a: Vec3, b: Vec3): number {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

export function crossVec3(a: Vec3, b: Vec3): Vec3 {
  return { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x };
}

export function normVec3(a: Vec3): number {
  return Math.hypot(a.x, a.y, a.z);
}

// ---------------------------------------------------------------------------------------------
// Quaternions

export function normalizeQuat(q: Quat): Quat {
  const n = Math.hypot(q.x, q.y, q.z, q.w);
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new RangeError(`cannot normalise quaternion (${q.x}, ${q.y}, ${q.z}, ${q.w})`);
  }
  return { x: q.x / n, y: q.y / n, z: q.z / n, w: q.w / n };
}

/** Hamilton product a * b: rotating by b first, then by a. */
export function multiplyQuat(a: Quat, b: Quat): Quat {
  return {
    w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
    x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
  };
}

/** The inverse rotation of a unit quaternion. */
export function conjugateQuat(q: Quat): Quat {
  return { x: -q.x, y: -q.y, z: -q.z, w: q.w };
}

/** Rotate v by the unit quaternion q (q v q*), without building a matrix. */
export function rotateVec3(q: Quat, v: Vec3): Vec3 {
  // t = 2 * (q.xyz x v); v' = v + w t + q.xyz x t
  const tx = 2 * (q.y * v.z - q.z * v.y);
  const ty = 2 * (q.z * v.x - q.x * v.z);
  const tz = 2 * (q.x * v.y - q.y * v.x);
  return {
    x: v.x + q.w * tx + (q.y * tz - q.z * ty),
    y: v.y + q.w * ty + (q.z * tx - q.x * tz),
    z: v.z + q.w * tz + (q.x * ty - q.y * tx),
  };
}

/** R = Rz(yaw) * Ry(pitch) * Rx(roll), as a quaternion. */
export function quatFromEuler(roll: number, pitch: number, yaw: number): Quat {
  const cr = Math.cos(roll / 2);
  const sr = Math.sin(roll / 2);
  const cp = Math.cos(pitch / 2);
  const sp = Math.sin(pitch / 2);
  const cy = Math.cos(yaw / 2);
  const sy = Math.sin(yaw / 2);
  return {
    w: cr * cp * cy + sr * sp * sy,
    x: sr * cp * cy - cr * sp * sy,
    y: cr * sp * cy + sr * cp * sy,
    z: cr * cp * sy - sr * sp * cy,
  };
}

/** Inverse of quatFromEuler; pitch in [-pi/2, pi/2], roll and yaw in (-pi, pi]. */
export function eulerFromQuat(q: Quat): { roll: number; pitch: number; yaw: number } {
  const { x, y, z, w } = normalizeQuat(q);
  const roll = Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y));
  const sinPitch = 2 * (w * y - z * x);
  const pitch = Math.asin(Math.max(-1, Math.min(1, sinPitch)));
  const yaw = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
  return { roll, pitch, yaw };
}

/** Heading of the rotated x axis projected onto the xy plane (robust even when pitched). */
export function yawFromQuat(q: Quat): number {
  const { x, y, z, w } = q;
  return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

export function quatFromAxisAngle(axis: Vec3, angle: number): Quat {
  const n = normVec3(axis);
  if (!(n > 0)) throw new RangeError('rotation axis has zero length');
  const s = Math.sin(angle / 2) / n;
  return { x: axis.x * s, y: axis.y * s, z: axis.z * s, w: Math.cos(angle / 2) };
}

/** Rotation angle of q in [0, pi]. */
export function quatAngle(q: Quat): number {
  const v = Math.hypot(q.x, q.y, q.z);
  return 2 * Math.atan2(v, Math.abs(q.w));
}

/** Angle in [0, pi] of the rotation taking a to b. */
export function angleBetweenQuats(a: Quat, b: Quat): number {
  return quatAngle(multiplyQuat(conjugateQuat(a), b));
}

export function matrixFromQuat(q: Quat): Mat3 {
  const { x, y, z, w } = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

/**
 * Unit quaternion of a rotation matrix (Shepperd's method: picks the largest diagonal term for
 * accuracy). Calibration matrices printed to 7 digits are only nearly orthonormal; the result is
 * normalised, which is the closest rotation to first order.
 */
export function quatFromMatrix(m: Mat3 | readonly number[]): Quat {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m;
  const trace = m00 + m11 + m22;
  let q: Quat;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    q = { w: 0.25 * s, x: (m21 - m12) / s, y: (m02 - m20) / s, z: (m10 - m01) / s };
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    q = { w: (m21 - m12) / s, x: 0.25 * s, y: (m01 + m10) / s, z: (m02 + m20) / s };
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    q = { w: (m02 - m20) / s, x: (m01 + m10) / s, y: 0.25 * s, z: (m12 + m21) / s };
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    q = { w: (m10 - m01) / s, x: (m02 + m20) / s, y: (m12 + m21) / s, z: 0.25 * s };
  }
  return normalizeQuat(q);
}

/** Spherical linear interpolation along the shorter arc; t = 0 gives a, t = 1 gives b. */
export function slerpQuat(a: Quat, b: Quat, t: number): Quat {
  let cos = a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
  let bx = b.x, by = b.y, bz = b.z, bw = b.w;
  if (cos < 0) {
    // q and -q are the same rotation; flip to interpolate the short way round.
    cos = -cos;
    bx = -bx; by = -by; bz = -bz; bw = -bw;
  }
  let wa: number;
  let wb: number;
  if (cos > 0.9995) {
    // Nearly parallel: sin(theta) ~ 0, so plain lerp (then normalise) is exact enough.
    wa = 1 - t;
    wb = t;
  } else {
    const theta = Math.acos(Math.min(1, cos));
    const sin = Math.sin(theta);
    wa = Math.sin((1 - t) * theta) / sin;
    wb = Math.sin(t * theta) / sin;
  }
  return normalizeQuat({
    x: wa * a.x + wb * bx,
    y: wa * a.y + wb * by,
    z: wa * a.z + wb * bz,
    w: wa * a.w + wb * bw,
  });
}

// ---------------------------------------------------------------------------------------------
// SE(3)

/** a ∘ b: the pose b (given in a's frame) expressed in a's parent frame. */
export function composePose3(a: Pose3, b: Pose3): Pose3 {
  return {
    position: addVec3(a.position, rotateVec3(a.orientation, b.position)),
    orientation: normalizeQuat(multiplyQuat(a.orientation, b.orientation)),
  };
}

export function invertPose3(p: Pose3): Pose3 {
  const qi = conjugateQuat(p.orientation);
  const t = rotateVec3(qi, p.position);
  return { position: { x: -t.x, y: -t.y, z: -t.z }, orientation: qi };
}

/** A point given in p's child frame, expressed in its parent frame. */
export function transformPoint(p: Pose3, v: Vec3): Vec3 {
  return addVec3(p.position, rotateVec3(p.orientation, v));
}

/** Linear interpolation of position and slerp of orientation; t01 = 0 gives a, 1 gives b. */
export function interpolatePose3(a: Pose3, b: Pose3, t01: number): Pose3 {
  return {
    position: {
      x: a.position.x + (b.position.x - a.position.x) * t01,
      y: a.position.y + (b.position.y - a.position.y) * t01,
      z: a.position.z + (b.position.z - a.position.z) * t01,
    },
    orientation: slerpQuat(a.orientation, b.orientation, t01),
  };
}

/** Pose built from a row-major 3x3 rotation and a translation. */
export function pose3FromMatrix(r: Mat3 | readonly number[], t: Vec3): Pose3 {
  return { position: { ...t }, orientation: quatFromMatrix(r) };
}

/** Row-major 3x4 [R | t] of a pose. */
export function matrix3x4FromPose3(p: Pose3): number[] {
  const r = matrixFromQuat(p.orientation);
  return [r[0], r[1], r[2], p.position.x, r[3], r[4], r[5], p.position.y, r[6], r[7], r[8], p.position.z];
}

export function isFinitePose3(p: Pose3): boolean {
  const { position: t, orientation: q } = p;
  return [t.x, t.y, t.z, q.x, q.y, q.z, q.w].every(Number.isFinite);
}

// ---------------------------------------------------------------------------------------------
// SE(2)

/** Planar part of a 3D pose: x, y and the heading of its x axis. */
export function pose2FromPose3(p: Pose3): Pose2 {
  return { x: p.position.x, y: p.position.y, yaw: yawFromQuat(p.orientation) };
}

/** A 3D pose on the z = 0 plane with the given heading. */
export function pose3FromPose2(p: Pose2, z = 0): Pose3 {
  return { position: { x: p.x, y: p.y, z }, orientation: quatFromEuler(0, 0, p.yaw) };
}

export { wrapAngle };

export function composePose2(a: Pose2, b: Pose2): Pose2 {
  const c = Math.cos(a.yaw);
  const s = Math.sin(a.yaw);
  return { x: a.x + c * b.x - s * b.y, y: a.y + s * b.x + c * b.y, yaw: wrapAngle(a.yaw + b.yaw) };
}

export function invertPose2(p: Pose2): Pose2 {
  const c = Math.cos(p.yaw);
  const s = Math.sin(p.yaw);
  return { x: -(c * p.x + s * p.y), y: s * p.x - c * p.y, yaw: wrapAngle(-p.yaw) };
}

/** A point given in p's frame, expressed in p's parent frame. */
export function transformPoint2(p: Pose2, pt: { x: number; y: number }): { x: number; y: number } {
  const c = Math.cos(p.yaw);
  const s = Math.sin(p.yaw);
  return { x: p.x + c * pt.x - s * pt.y, y: p.y + s * pt.x + c * pt.y };
}

export function interpolatePose2(a: Pose2, b: Pose2, t01: number): Pose2 {
  return {
    x: a.x + (b.x - a.x) * t01,
    y: a.y + (b.y - a.y) * t01,
    yaw: wrapAngle(a.yaw + wrapAngle(b.yaw - a.yaw) * t01),
  };
}

// ---------------------------------------------------------------------------------------------
// Pose track

export interface StampedPose3 {
  timeNs: TimeNs;
  pose: Pose3;
}

/**
 * Poses sorted by time; `at(t)` interpolates between the two neighbours (lerp + slerp).
 * Asking outside the recorded span is an error rather than a silent extrapolation.
 */
export class PoseTrack {
  readonly times: readonly TimeNs[];
  readonly poses: readonly Pose3[];

  /** @param name what the poses come from, used in error messages (a file, a topic). */
  constructor(samples: readonly StampedPose3[], readonly name = 'pose track') {
    if (samples.length === 0) throw new RangeError(`${name}: a pose track needs at least one pose`);
    samples.forEach((s, i) => {
      if (!isFinitePose3(s.pose)) throw new RangeError(`${name}: pose ${i} has a non-finite value`);
      if (i > 0 && s.timeNs <= samples[i - 1].timeNs) {
        throw new RangeError(
          `${name}: pose times must increase strictly, but pose ${i} (${s.timeNs} ns) is not after pose ${i - 1} (${samples[i - 1].timeNs} ns)`,
        );
      }
    });
    this.times = samples.map((s) => s.timeNs);
    this.poses = samples.map((s) => s.pose);
  }

  get length(): number {
    return this.times.length;
  }

  get startNs(): TimeNs {
    return this.times[0];
  }

  get endNs(): TimeNs {
    return this.times[this.times.length - 1];
  }

  /** The last sample index with a time at or before timeNs (binary search), -1 if there is none. */
  lastIndexAtOrBefore(timeNs: TimeNs): number {
    let lo = -1;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid] <= timeNs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  contains(timeNs: TimeNs): boolean {
    return timeNs >= this.startNs && timeNs <= this.endNs;
  }

  /**
   * The pose at timeNs, interpolated between its neighbours. Outside [startNs, endNs] it
   * throws, unless the time is within `maxExtrapolationNs` of an end: then the first (last) two
   * poses are extrapolated at constant velocity (for streams whose first sample comes a few
   * milliseconds after the first camera frame).
   */
  at(timeNs: TimeNs, maxExtrapolationNs: TimeNs = 0n): Pose3 {
    if (typeof timeNs !== 'bigint') {
      throw new TypeError(`${this.name}: time must be bigint nanoseconds, got ${String(timeNs)}`);
    }
    if (!this.contains(timeNs)) {
      const gap = timeNs < this.startNs ? this.startNs - timeNs : timeNs - this.endNs;
      if (gap > maxExtrapolationNs || this.times.length < 2) {
        const allowed = maxExtrapolationNs > 0n ? ` (extrapolation allowed up to ${maxExtrapolationNs} ns)` : '';
        throw new RangeError(
          `${this.name}: time ${timeNs} ns is outside the track's span [${this.startNs}, ${this.endNs}] ns${allowed}`,
        );
      }
      const n = this.times.length;
      const [i0, i1] = timeNs < this.startNs ? [0, 1] : [n - 2, n - 1];
      const f = Number(timeNs - this.times[i0]) / Number(this.times[i1] - this.times[i0]);
      return interpolatePose3(this.poses[i0], this.poses[i1], f);
    }
    const lo = this.lastIndexAtOrBefore(timeNs);
    if (this.times[lo] === timeNs || lo === this.times.length - 1) return this.poses[lo];
    const t0 = this.times[lo];
    const t1 = this.times[lo + 1];
    const f = Number(timeNs - t0) / Number(t1 - t0);
    return interpolatePose3(this.poses[lo], this.poses[lo + 1], f);
  }
}
