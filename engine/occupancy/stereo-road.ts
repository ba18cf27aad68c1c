/**
 * The road plane as stereo sees it: a plane fitted to the disparities of the pixels the stereo
 * check found ground-like (those the model calls drivable, when enough are), turned into the
 * vehicle's roll and pitch against that road.
 *
 * The walk maps pixel rows to ranges through the road plane, and far out that mapping hangs on
 * the pitch: half a degree moves a row by two pixels at this image height, metres at 25 m. The
 * ego pose's attitude is against gravity, so it takes a road that climbs or falls for a car
 * that pitches; the fitted plane is the road the camera actually looks at.
 */
import type { CameraCalibration } from '../../types/index.js';
import { CameraModel } from '../../sensors/camera.js';
import type { StereoCheck } from './stereo-ground.js';

export interface RoadPlane {
  /** Disparity of the road at pixel (u, v): a u + b v + c. */
  a: number;
  b: number;
  c: number;
  /** Pixels within the inlier tolerance, of those sampled. */
  inliers: number;
  samples: number;
}

/** Disparity tolerance of an inlier (pixels) and the share of samples a plane must explain. */
const INLIER_PX = 0.3;
const MIN_INLIER_SHARE = 0.3;
const MIN_INLIERS = 100;
const ITERATIONS = 100;
/** Every SAMPLE_STRIDE-th pixel in both directions takes part. */
const SAMPLE_STRIDE = 3;

/**
 * RANSAC (seeded, so a frame always gives the same plane) and a least-squares refit on the
 * inliers. `disparity(i)`: the road disparity found at pixel i; `only`: if given, just the
 * pixels it marks too. undefined when too few pixels agree on one plane.
 */
export function fitRoadPlane(mask: Uint8Array, disparity: (i: number) => number, width: number, height: number, only?: Uint8Array): RoadPlane | undefined {
  const cap = Math.ceil(width / SAMPLE_STRIDE) * Math.ceil(height / SAMPLE_STRIDE);
  const us = new Float64Array(cap);
  const vs = new Float64Array(cap);
  const ds = new Float64Array(cap);
  let n = 0;
  for (let v = 0; v < height; v += SAMPLE_STRIDE) {
    for (let u = 0; u < width; u += SAMPLE_STRIDE) {
      const i = v * width + u;
      if (mask[i] !== 1 || (only && only[i] !== 1)) continue;
      us[n] = u;
      vs[n] = v;
      ds[n++] = disparity(i);
    }
  }
  if (n < MIN_INLIERS) return undefined;
  let seed = 12345;
  const random = (k: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  let best: { a: number; b: number; c: number; count: number } | undefined;
  for (let it = 0; it < ITERATIONS; it++) {
    const p = solve3([random(n), random(n), random(n)].map((k) => [us[k], vs[k], 1, ds[k]]));
    if (!p) continue;
    let count = 0;
    const { a, b, c } = p;
    for (let k = 0; k < n; k++) {
      const e = a * us[k] + b * vs[k] + c - ds[k];
      if (e < INLIER_PX && e > -INLIER_PX) count++;
    }
    if (!best || count > best.count) best = { ...p, count };
  }
  if (!best || best.count < Math.max(MIN_INLIERS, MIN_INLIER_SHARE * n)) return undefined;
  // Least squares on the inliers: the normal equations of d = a u + b v + c.
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const r = [0, 0, 0];
  let inliers = 0;
  for (let k = 0; k < n; k++) {
    if (Math.abs(best.a * us[k] + best.b * vs[k] + best.c - ds[k]) >= INLIER_PX) continue;
    const x = [us[k], vs[k], 1];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) m[3 * i + j] += x[i] * x[j];
      r[i] += x[i] * ds[k];
    }
    inliers++;
  }
  const refit = solve3([0, 1, 2].map((i) => [m[3 * i], m[3 * i + 1], m[3 * i + 2], r[i]]));
  return { ...(refit ?? best), inliers, samples: n };
}

/** Solves rows [x, y, z | rhs] for (a, b, c); undefined when singular. */
function solve3(rows: number[][]): { a: number; b: number; c: number } | undefined {
  const [r0, r1, r2] = rows;
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const base = [r0.slice(0, 3), r1.slice(0, 3), r2.slice(0, 3)];
  const d = det(base);
  if (Math.abs(d) < 1e-9) return undefined;
  const col = (k: number) => det(base.map((row, i) => row.map((x, j) => (j === k ? rows[i][3] : x))));
  return { a: col(0) / d, b: col(1) / d, c: col(2) / d };
}

/**
 * The vehicle's attitude against the road a stereo check saw: the plane fitted to its
 * ground-like pixels that `drivable` marks too (the road itself: a raised track bed or
 * pavement beside it would tilt the plane), or to all of them when too few are.
 * `left`: the left camera's calibration at the check's image size.
 */
export function stereoRoadAttitude(check: StereoCheck, left: CameraCalibration, drivable?: Uint8Array): { roll: number; pitch: number } | undefined {
  const { mask, roadDisparity, width, height } = check;
  const disparity = (i: number) => roadDisparity[i];
  const plane = (drivable && fitRoadPlane(mask, disparity, width, height, drivable)) || fitRoadPlane(mask, disparity, width, height);
  return plane && roadAttitude(plane, left, check.baseline);
}

/**
 * The vehicle's roll and pitch against the fitted road (what occupancy's `rowScales` takes):
 * the plane in the left camera's frame is n . X = h with n / h = (a / B, b fy / (fx B),
 * (c + a cx + b cy) / (fx B)), n pointing down; turned into the vehicle frame, the road's up
 * direction is (-sin p, cos p sin r, cos p cos r).
 */
export function roadAttitude(plane: RoadPlane, left: CameraCalibration, baseline: number): { roll: number; pitch: number } | undefined {
  const { fx, fy, cx, cy } = left;
  const B = baseline;
  const m = { x: plane.a / B, y: (plane.b * fy) / (fx * B), z: (plane.c + plane.a * cx + plane.b * cy) / (fx * B) };
  const len = Math.hypot(m.x, m.y, m.z);
  if (!(len > 0)) return undefined;
  const down = new CameraModel(left).cameraDirectionToVehicle({ x: m.x / len, y: m.y / len, z: m.z / len });
  const up = { x: -down.x, y: -down.y, z: -down.z };
  if (!(up.z > 0.9)) return undefined; // not a road under the car
  return { roll: Math.atan2(up.y, up.z), pitch: -Math.asin(Math.max(-1, Math.min(1, up.x))) };
}
