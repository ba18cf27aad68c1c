/**
 * Lidar points in the camera image, coloured by depth: the quickest check of a calibration and
 * of what the free-space boundary should follow. A tight loop over the cloud's typed array with
 * one combined lidar -> camera transform; no per-point objects.
 */
import { speedColor, cssColor } from './colors.js';
import type { Calibration } from './foxglove.js';
import { compose, invert, rotate, type Pose } from './pose-math.js';

const BUCKETS = 24;
const MAX_DEPTH = 40;

export interface ProjectedCloud {
  /** u, v per point, grouped by depth bucket (near first). */
  byBucket: Float32Array[];
}

/**
 * Projects the cloud (points in the lidar frame) through `lidarToVehicle` and the camera mount.
 * `maxPoints` bounds the work for very dense clouds.
 */
export function projectCloud(
  positions: Float32Array,
  lidarToVehicle: Pose,
  cameraToVehicle: Pose,
  calib: Calibration,
  maxPoints = 60_000,
): ProjectedCloud {
  const lidarToCamera = compose(invert(cameraToVehicle), lidarToVehicle);
  const q = lidarToCamera.orientation;
  // Rotation matrix columns = images of the unit axes.
  const ex = rotate(q, { x: 1, y: 0, z: 0 });
  const ey = rotate(q, { x: 0, y: 1, z: 0 });
  const ez = rotate(q, { x: 0, y: 0, z: 1 });
  const t = lidarToCamera.position;
  const { fx, fy, cx, cy, width, height } = calib;
  const [k1, k2, p1, p2, k3] = calib.distortion;
  const n = positions.length / 3;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const buckets: number[][] = Array.from({ length: BUCKETS }, () => []);
  for (let i = 0; i < n; i += step) {
    const px = positions[i * 3]!;
    const py = positions[i * 3 + 1]!;
    const pz = positions[i * 3 + 2]!;
    const z = ex.z * px + ey.z * py + ez.z * pz + t.z;
    if (!(z > 0.5)) continue;
    const x = (ex.x * px + ey.x * py + ez.x * pz + t.x) / z;
    const y = (ex.y * px + ey.y * py + ez.y * pz + t.y) / z;
    const r2 = x * x + y * y;
    if (r2 > 2.25) continue;
    const radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
    const u = fx * (x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x)) + cx;
    const v = fy * (y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y) + cy;
    if (u < -0.5 || v < -0.5 || u > width - 0.5 || v > height - 0.5) continue;
    const b = Math.min(BUCKETS - 1, Math.floor((z / MAX_DEPTH) * BUCKETS));
    buckets[b]!.push(u, v);
  }
  return { byBucket: buckets.map((b) => Float32Array.from(b)) };
}

/** Draws the points as small squares (image pixel units), red near to blue far. */
export function drawCloud(ctx: CanvasRenderingContext2D, cloud: ProjectedCloud, size: number): void {
  ctx.save();
  for (let b = cloud.byBucket.length - 1; b >= 0; b--) {
    const pts = cloud.byBucket[b]!;
    if (!pts.length) continue;
    // Near = red (fast end of the speed ramp), far = blue.
    ctx.fillStyle = cssColor(speedColor(15 * (1 - b / (BUCKETS - 1))), 0.9);
    for (let i = 0; i < pts.length; i += 2) ctx.fillRect(pts[i]! - size / 2, pts[i + 1]! - size / 2, size, size);
  }
  ctx.restore();
}
