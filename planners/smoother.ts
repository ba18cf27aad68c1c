/**
 * Path smoothing that keeps clearance: gradient descent on the interior points of every
 * same-direction stretch (the ends and the cusps stay put) pulling toward straighter shapes,
 * pushing away from obstacles closer than a comfort distance, and held near the original path.
 * Every moved pose is then checked with the footprint: a pose whose clearance margin drops
 * below what the original had (or the comfort margin) is pulled back toward the original.
 */
import type { Costmap } from './costmap.js';
import type { Footprint } from './footprint.js';

export interface SmootherOptions {
  iterations?: number;
  /** Weight of the smoothness term (default 0.3). */
  smoothWeight?: number;
  /** Weight of the pull toward the original points (default 0.1). */
  dataWeight?: number;
  /** Weight of the obstacle term (default 0.2). */
  obstacleWeight?: number;
  /** Clearance margin (beyond the footprint) the obstacle term aims for, metres (default 0.5). */
  comfort?: number;
}

export interface PathPoses {
  /** x, y, yaw per pose. */
  poses: Float64Array;
  directions: Int8Array;
  count: number;
}

export function smoothPath(map: Costmap, footprint: Footprint, path: PathPoses, options: SmootherOptions = {}): PathPoses {
  const n = path.count;
  if (n < 3) return path;
  const iterations = options.iterations ?? 60;
  const ws = options.smoothWeight ?? 0.3;
  const wd = options.dataWeight ?? 0.1;
  const wo = options.obstacleWeight ?? 0.2;
  const comfort = options.comfort ?? 0.5;
  const orig = path.poses;
  const dirs = path.directions;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = orig[3 * i];
    y[i] = orig[3 * i + 1];
  }
  // Fixed: the ends and the poses on either side of a cusp.
  const fixed = new Uint8Array(n);
  fixed[0] = 1;
  fixed[n - 1] = 1;
  for (let i = 1; i < n; i++) {
    if (dirs[i] !== dirs[i - 1] && i > 1) {
      fixed[i - 1] = 1;
      fixed[i] = 1;
    }
  }
  // Fix the pose next to each end too so the end headings are kept.
  fixed[1] = 1;
  fixed[n - 2] = 1;
  const res = map.resolution;
  const target = footprint.radius + comfort;
  for (let it = 0; it < iterations; it++) {
    for (let i = 1; i < n - 1; i++) {
      if (fixed[i]) continue;
      let gx = wd * (orig[3 * i] - x[i]) + ws * (x[i - 1] + x[i + 1] - 2 * x[i]);
      let gy = wd * (orig[3 * i + 1] - y[i]) + ws * (y[i - 1] + y[i + 1] - 2 * y[i]);
      // Obstacle term: climb the clearance field where it is below the target.
      const c = map.clearanceAt(x[i], y[i]);
      if (c < target) {
        const ex = map.clearanceAt(x[i] + res, y[i]) - map.clearanceAt(x[i] - res, y[i]);
        const ey = map.clearanceAt(x[i], y[i] + res) - map.clearanceAt(x[i], y[i] - res);
        const len = Math.hypot(ex, ey);
        if (len > 0 && Number.isFinite(len)) {
          gx += (wo * (target - c) * ex) / len;
          gy += (wo * (target - c) * ey) / len;
        }
      }
      x[i] += gx;
      y[i] += gy;
    }
  }
  const poses = new Float64Array(n * 3);
  const headingAt = (i: number): number => {
    // Tangent from the neighbours; reversing means the car faces against the motion.
    const a = i > 0 && !(dirs[i] !== dirs[i - 1] && fixed[i]) ? i - 1 : i;
    const b = i < n - 1 && !(dirs[i + 1] !== dirs[i] && fixed[i]) ? i + 1 : i;
    if (a === b) return orig[3 * i + 2];
    const t = Math.atan2(y[b] - y[a], x[b] - x[a]);
    return dirs[i] < 0 ? t + Math.PI : t;
  };
  for (let i = 0; i < n; i++) {
    poses[3 * i] = x[i];
    poses[3 * i + 1] = y[i];
    poses[3 * i + 2] = fixed[i] ? orig[3 * i + 2] : headingAt(i);
  }
  // Keep clearance: a pose may not lose margin the original had (up to the comfort margin).
  for (let i = 0; i < n; i++) {
    if (fixed[i]) continue;
    const before = Math.min(comfort, footprint.margin(map, orig[3 * i], orig[3 * i + 1], orig[3 * i + 2]));
    let ok = footprint.margin(map, poses[3 * i], poses[3 * i + 1], poses[3 * i + 2]) >= before;
    for (let tries = 0; !ok && tries < 4; tries++) {
      for (let k = 0; k < 3; k++) {
        const d = k === 2 ? angleDiff(orig[3 * i + 2], poses[3 * i + 2]) : orig[3 * i + k] - poses[3 * i + k];
        poses[3 * i + k] += d / 2;
      }
      ok = footprint.margin(map, poses[3 * i], poses[3 * i + 1], poses[3 * i + 2]) >= before;
    }
    if (!ok) for (let k = 0; k < 3; k++) poses[3 * i + k] = orig[3 * i + k];
  }
  return { poses, directions: dirs.slice(0, n), count: n };
}

function angleDiff(a: number, b: number): number {
  let d = (a - b) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  else if (d < -Math.PI) d += 2 * Math.PI;
  return d;
}
