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
import { ransacPlane, type Plane } from './plane-fit.js';

export interface RoadPlane extends Plane {
  /** Disparity of the road at pixel (u, v): a u + b v + c; `inliers` of `samples` pixels agree. */
  samples: number;
}

/** Disparity tolerance of an inlier (pixels) and the share of samples a plane must explain. */
const INLIER_PX = 0.3;
const MIN_INLIER_SHARE = 0.3;
const MIN_INLIERS = 100;
const ITERATIONS = 100;
const SEED = 12345;
/** Every SAMPLE_STRIDE-th pixel in both directions takes part. */
const SAMPLE_STRIDE = 3;

/**
 * RANSAC (seeded, so a frame always gives the same plane) and a least-squares refit on the
 * inliers, over the pixels of `mask` (and of `only`, if given) with their road `disparity`.
 * undefined when too few pixels agree on one plane.
 */
export function fitRoadPlane(mask: Uint8Array, disparity: Float32Array, width: number, height: number, only?: Uint8Array): RoadPlane | undefined {
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
      ds[n++] = disparity[i];
    }
  }
  if (n < MIN_INLIERS) return undefined;
  const all = Uint32Array.from({ length: n }, (_, k) => k);
  const plane = ransacPlane(us, vs, ds, all, n, { iterations: ITERATIONS, tolerance: INLIER_PX, seed: SEED }, new Uint32Array(n));
  if (!plane || plane.inliers < Math.max(MIN_INLIERS, MIN_INLIER_SHARE * n)) return undefined;
  return { ...plane, samples: n };
}

/** The road a stereo check saw: the vehicle's attitude against it, and the fitted plane itself. */
export interface StereoRoad {
  roll: number;
  pitch: number;
  plane: RoadPlane;
  /** The left camera's height above that road (metres). */
  cameraHeight: number;
}

/**
 * The road a stereo check saw: the plane fitted to its ground-like pixels that `drivable`
 * marks too (the road itself: a raised track bed or pavement beside it would tilt the plane),
 * or to all of them when too few are. `left`: the left camera's calibration at the check's
 * image size.
 */
export function stereoRoad(check: StereoCheck, left: CameraCalibration, drivable?: Uint8Array): StereoRoad | undefined {
  const { mask, roadDisparity, width, height } = check;
  const plane = (drivable && fitRoadPlane(mask, roadDisparity, width, height, drivable)) || fitRoadPlane(mask, roadDisparity, width, height);
  const road = plane && roadAttitude(plane, left, check.baseline);
  return road && { ...road, plane };
}

/**
 * The vehicle's roll and pitch against the fitted road (what occupancy's `rowScales` takes)
 * and the camera's height above it: the plane in the left camera's frame is n . X = h with
 * n / h = (a / B, b fy / (fx B), (c + a cx + b cy) / (fx B)), n pointing down; turned into the
 * vehicle frame, the road's up direction is (-sin p, cos p sin r, cos p cos r).
 */
export function roadAttitude(plane: RoadPlane, left: CameraCalibration, baseline: number): { roll: number; pitch: number; cameraHeight: number } | undefined {
  const { fx, fy, cx, cy } = left;
  const B = baseline;
  const m = { x: plane.a / B, y: (plane.b * fy) / (fx * B), z: (plane.c + plane.a * cx + plane.b * cy) / (fx * B) };
  const len = Math.hypot(m.x, m.y, m.z);
  if (!(len > 0)) return undefined;
  const down = new CameraModel(left).cameraDirectionToVehicle({ x: m.x / len, y: m.y / len, z: m.z / len });
  const up = { x: -down.x, y: -down.y, z: -down.z };
  if (!(up.z > 0.9)) return undefined; // not a road under the car
  return { roll: Math.atan2(up.y, up.z), pitch: -Math.asin(Math.max(-1, Math.min(1, up.x))), cameraHeight: 1 / len };
}

/**
 * The check's ground-like pixels whose surface lies at most `maxHeight` above the fitted road
 * (a new mask). A surface raised by h over a road seen at disparity d shows disparity
 * d H / (H - h), H the camera's height; so a pixel whose road-like match is r pixels nearer
 * than the road stands h = H r / (d + r) above it. Flat is not enough to walk over: the foot
 * of a hedge or a trunk at 20-30 m often matches a road-like hypothesis best, but only near
 * the top of the searched offsets, far nearer than the road at its row.
 */
export function flatNearRoad(check: StereoCheck, road: StereoRoad, maxHeight: number): Uint8Array {
  const { mask, roadDisparity, width } = check;
  const { a, b, c } = road.plane;
  const H = road.cameraHeight;
  const out = mask.slice();
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 1) continue;
    const d = a * (i % width) + b * Math.floor(i / width) + c;
    const r = roadDisparity[i] - d;
    if (r > 0 && (H * r) / (d + r) > maxHeight) out[i] = 0;
  }
  return out;
}
