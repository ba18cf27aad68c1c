/**
 * A speed profile along a path: the speed limit at each pose from the lateral-acceleration
 * limit on its curvature, then a forward pass (acceleration limit) and a backward pass
 * (deceleration limit), stopping at the end and at every change of direction.
 */
import type { TrajectoryPoint } from '../types/messages.js';
import type { PathPoses } from './smoother.js';

export interface SpeedLimits {
  /** m/s forward (default 8). */
  maxSpeed?: number;
  /** m/s in reverse (default 2). */
  maxReverseSpeed?: number;
  /** m/s^2 (default 1.5). */
  maxAccel?: number;
  /** m/s^2, positive (default 2.5). */
  maxDecel?: number;
  /** m/s^2 (default 2). */
  maxLateralAccel?: number;
  /** Speed at the first pose, m/s, unsigned (default 0). */
  startSpeed?: number;
}

export function speedProfile(path: PathPoses, limits: SpeedLimits = {}): TrajectoryPoint[] {
  const n = path.count;
  const vFwd = limits.maxSpeed ?? 8;
  const vRev = limits.maxReverseSpeed ?? 2;
  const acc = limits.maxAccel ?? 1.5;
  const dec = limits.maxDecel ?? 2.5;
  const lat = limits.maxLateralAccel ?? 2;
  for (const [k, v] of Object.entries({ vFwd, vRev, acc, dec, lat })) {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`speed limit ${k} must be positive, got ${v}`);
  }
  const p = path.poses;
  const dir = path.directions;
  if (n === 0) return [];
  if (n === 1) return [{ x: p[0], y: p[1], yaw: p[2], t: 0, v: 0 }];
  const ds = new Float64Array(n); // distance from pose i - 1 to i
  for (let i = 1; i < n; i++) ds[i] = Math.hypot(p[3 * i] - p[3 * i - 3], p[3 * i + 1] - p[3 * i - 2]);
  const v = new Float64Array(n);
  // Curvature limit: heading change over distance, averaged over both sides of a pose.
  for (let i = 0; i < n; i++) {
    const vmax = dir[i] < 0 ? vRev : vFwd;
    let kappa = 0;
    if (i > 0 && i < n - 1 && ds[i] + ds[i + 1] > 1e-9) {
      kappa = Math.abs(angleDiff(p[3 * i + 5], p[3 * i - 1])) / (ds[i] + ds[i + 1]);
    }
    v[i] = kappa > 1e-9 ? Math.min(vmax, Math.sqrt(lat / kappa)) : vmax;
  }
  // Stops: the end and both sides of each cusp.
  v[n - 1] = 0;
  for (let i = 1; i < n; i++) if (dir[i] !== dir[i - 1] && i > 1) v[i - 1] = 0;
  v[0] = Math.min(v[0], Math.max(0, limits.startSpeed ?? 0));
  for (let i = 1; i < n; i++) v[i] = Math.min(v[i], Math.sqrt(v[i - 1] * v[i - 1] + 2 * acc * ds[i]));
  for (let i = n - 2; i >= 0; i--) v[i] = Math.min(v[i], Math.sqrt(v[i + 1] * v[i + 1] + 2 * dec * ds[i + 1]));
  const out: TrajectoryPoint[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const vAvg = (v[i - 1] + v[i]) / 2;
      // A stretch at zero speed on both ends (a cusp pair at one place) takes no time.
      t += vAvg > 1e-9 ? ds[i] / vAvg : 0;
    }
    // The sign follows the motion leaving this pose (arriving for the last one).
    const d = i < n - 1 ? dir[i + 1] : dir[i];
    out.push({ x: p[3 * i], y: p[3 * i + 1], yaw: p[3 * i + 2], t, v: d < 0 && v[i] > 0 ? -v[i] : v[i] });
  }
  return out;
}

function angleDiff(a: number, b: number): number {
  let d = (a - b) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  else if (d < -Math.PI) d += 2 * Math.PI;
  return d;
}
