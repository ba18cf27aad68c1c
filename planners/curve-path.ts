/**
 * Paths made of arcs at a fixed turning radius and straight lines (Reeds-Shepp and Dubins):
 * representation, endpoint and sampling. A segment's length is signed: negative = reversing.
 */
import { wrapAngle } from '../types/angle.js';
import type { Pose2 } from '../types/geometry.js';

/** 'L' = full left steer, 'R' = full right steer, 'S' = straight. */
export type SegmentKind = 'L' | 'S' | 'R';

export interface CurveSegment {
  kind: SegmentKind;
  /** Signed arc length in metres; negative when driven in reverse. */
  length: number;
}

export interface CurvePath {
  segments: CurveSegment[];
  /** Total driven length in metres (sum of |segment length|). */
  length: number;
  /** Turning radius the arcs use, metres. */
  radius: number;
}

/** Pose after driving `length` metres (signed) of one segment from `pose`. */
export function driveSegment(pose: Pose2, kind: SegmentKind, length: number, radius: number): Pose2 {
  const { x, y, yaw } = pose;
  if (kind === 'S') return { x: x + length * Math.cos(yaw), y: y + length * Math.sin(yaw), yaw };
  const turn = length / radius;
  if (kind === 'L') {
    const yaw2 = yaw + turn;
    return { x: x + radius * (Math.sin(yaw2) - Math.sin(yaw)), y: y + radius * (Math.cos(yaw) - Math.cos(yaw2)), yaw: yaw2 };
  }
  const yaw2 = yaw - turn;
  return { x: x + radius * (Math.sin(yaw) - Math.sin(yaw2)), y: y + radius * (Math.cos(yaw2) - Math.cos(yaw)), yaw: yaw2 };
}

/** The pose at the end of the path (yaw not wrapped). */
export function pathEnd(start: Pose2, path: CurvePath): Pose2 {
  let p = start;
  for (const s of path.segments) p = driveSegment(p, s.kind, s.length, path.radius);
  return p;
}

export interface SampledPath {
  /** x, y, yaw per sample; the first is the start, the last is the path's end exactly. */
  poses: Float64Array;
  /** +1 forward, -1 reverse per sample (the direction of the motion arriving there; the start takes the first segment's). */
  directions: Int8Array;
  count: number;
}

/**
 * Samples a path every `step` metres or less along each segment, always including the segment
 * ends, so the last sample is the path's end.
 */
export function samplePath(start: Pose2, path: CurvePath, step: number): SampledPath {
  if (!(step > 0)) throw new RangeError(`sample step must be positive, got ${step}`);
  let count = 1;
  for (const s of path.segments) if (s.length !== 0) count += Math.max(1, Math.ceil(Math.abs(s.length) / step));
  const poses = new Float64Array(count * 3);
  const directions = new Int8Array(count);
  poses[0] = start.x;
  poses[1] = start.y;
  poses[2] = start.yaw;
  const first = path.segments.find((s) => s.length !== 0);
  directions[0] = first && first.length < 0 ? -1 : 1;
  let k = 1;
  let segStart = start;
  for (const s of path.segments) {
    if (s.length === 0) continue;
    const n = Math.max(1, Math.ceil(Math.abs(s.length) / step));
    const dir = s.length < 0 ? -1 : 1;
    for (let i = 1; i <= n; i++) {
      const p = driveSegment(segStart, s.kind, (s.length * i) / n, path.radius);
      poses[3 * k] = p.x;
      poses[3 * k + 1] = p.y;
      poses[3 * k + 2] = p.yaw;
      directions[k] = dir;
      k++;
    }
    segStart = driveSegment(segStart, s.kind, s.length, path.radius);
  }
  return { poses, directions, count };
}

export { wrapAngle };
