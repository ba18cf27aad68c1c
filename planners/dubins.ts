/**
 * Dubins shortest paths for a forward-only car with a minimum turning radius (Dubins 1957):
 * the six words LSL, RSR, LSR, RSL, RLR, LRL in closed form (as in Shkel & Lumelsky 2001).
 */
import type { Pose2 } from '../types/geometry.js';
import type { CurvePath, SegmentKind } from './curve-path.js';

const TWO_PI = 2 * Math.PI;

/** Wrap to [0, 2 pi); a hair below 2 pi (rounding of a zero) counts as 0, not a full turn. */
function mod(a: number): number {
  let v = a % TWO_PI;
  if (v < 0) v += TWO_PI;
  return v > TWO_PI - 1e-9 ? 0 : v;
}

/** Every valid Dubins word from start to goal, shortest first. */
export function dubinsPaths(start: Pose2, goal: Pose2, radius: number): CurvePath[] {
  if (!(radius > 0)) throw new RangeError(`turning radius must be positive, got ${radius}`);
  const dx = goal.x - start.x;
  const dy = goal.y - start.y;
  const d = Math.hypot(dx, dy) / radius;
  const theta = d > 0 ? Math.atan2(dy, dx) : 0;
  const a = mod(start.yaw - theta);
  const b = mod(goal.yaw - theta);
  const sa = Math.sin(a);
  const sb = Math.sin(b);
  const ca = Math.cos(a);
  const cb = Math.cos(b);
  const cab = Math.cos(a - b);
  const out: CurvePath[] = [];
  const add = (word: string, t: number, p: number, q: number): void => {
    const lens = [t * radius, p * radius, q * radius];
    out.push({
      segments: lens.map((length, i) => ({ kind: word[i] as SegmentKind, length })).filter((s) => s.length > 1e-12),
      length: lens[0] + lens[1] + lens[2],
      radius,
    });
  };
  {
    const p2 = 2 + d * d - 2 * cab + 2 * d * (sa - sb);
    if (p2 >= -1e-9) {
      const p = Math.sqrt(Math.max(0, p2));
      // p ~ 0: both circles coincide, the direction of the straight is undefined: one arc.
      const tmp = p < 1e-7 ? a : Math.atan2(cb - ca, d + sa - sb);
      add('LSL', mod(-a + tmp), p, mod(b - tmp));
    }
  }
  {
    const p2 = 2 + d * d - 2 * cab + 2 * d * (sb - sa);
    if (p2 >= -1e-9) {
      const p = Math.sqrt(Math.max(0, p2));
      const tmp = p < 1e-7 ? b : Math.atan2(ca - cb, d - sa + sb);
      add('RSR', mod(a - tmp), p, mod(-b + tmp));
    }
  }
  {
    const p2 = -2 + d * d + 2 * cab + 2 * d * (sa + sb);
    if (p2 >= -1e-9) {
      const p = Math.sqrt(Math.max(0, p2)); // rounding can push a zero below 0
      const tmp = Math.atan2(-ca - cb, d + sa + sb) - Math.atan2(-2, p);
      add('LSR', mod(-a + tmp), p, mod(-b + tmp));
    }
  }
  {
    const p2 = d * d - 2 + 2 * cab - 2 * d * (sa + sb);
    if (p2 >= -1e-9) {
      const p = Math.sqrt(Math.max(0, p2)); // rounding can push a zero below 0
      const tmp = Math.atan2(ca + cb, d - sa - sb) - Math.atan2(2, p);
      add('RSL', mod(a - tmp), p, mod(b - tmp));
    }
  }
  {
    const tmp = (6 - d * d + 2 * cab + 2 * d * (sa - sb)) / 8;
    if (Math.abs(tmp) <= 1) {
      const p = mod(TWO_PI - Math.acos(tmp));
      const t = mod(a - Math.atan2(ca - cb, d - sa + sb) + p / 2);
      add('RLR', t, p, mod(a - b - t + p));
    }
  }
  {
    const tmp = (6 - d * d + 2 * cab + 2 * d * (sb - sa)) / 8;
    if (Math.abs(tmp) <= 1) {
      const p = mod(TWO_PI - Math.acos(tmp));
      const t = mod(-a - Math.atan2(ca - cb, d + sa - sb) + p / 2);
      add('LRL', t, p, mod(b - a - t + p));
    }
  }
  out.sort((p, q) => p.length - q.length);
  return out;
}

/** The shortest Dubins path from start to goal. */
export function dubins(start: Pose2, goal: Pose2, radius: number): CurvePath {
  const all = dubinsPaths(start, goal, radius);
  if (all.length === 0) throw new Error('no Dubins path found (numerical failure)');
  return all[0];
}

export function dubinsDistance(start: Pose2, goal: Pose2, radius: number): number {
  return dubins(start, goal, radius).length;
}
