/**
 * Pinhole camera with radial-tangential distortion and its mount on the vehicle.
 *
 * Frames: camera x right, y down, z forward (OpenCV); vehicle (base_link) x forward, y left,
 * z up (REP 103). Pixel coordinates use the pixel-centre convention: the centre of pixel
 * (col, row) is at (u, v) = (col, row), so the image spans u in [-0.5, width - 0.5].
 */
import type { Pose3, Vec3 } from '../types/geometry.js';
import type { CameraCalibration } from '../types/messages.js';
import {
  distortNormalized,
  isZeroDistortion,
  monotonicRadiusSquared,
  undistortNormalized,
  type Distortion,
} from './distortion.js';
import { invertPose3, matrixFromQuat, normalizeQuat, type Mat3 } from './pose.js';

export interface PixelPoint {
  u: number;
  v: number;
}

export interface ProjectedPoint extends PixelPoint {
  /** Distance along the camera's optical axis (camera z), metres. */
  depth: number;
}

/** Points closer than this along the optical axis are treated as not projectable. */
const MIN_DEPTH = 1e-6;

export class CameraModel {
  readonly calib: CameraCalibration;
  private readonly distortion: Distortion;
  private readonly distorted: boolean;
  /** Radius² (normalised) beyond which the distortion model folds back. */
  private readonly maxR2: number;
  /** Camera -> vehicle rotation (row-major) and the camera position in the vehicle frame. */
  private readonly rcv: Mat3;
  private readonly tcv: Vec3;
  private readonly scratch = new Float64Array(2);

  constructor(calib: CameraCalibration) {
    assertCalibration(calib, calib?.cameraId ?? 'camera');
    this.calib = calib;
    this.distortion = calib.distortion;
    this.distorted = !isZeroDistortion(calib.distortion);
    this.maxR2 = this.distorted ? monotonicRadiusSquared(calib.distortion) : Infinity;
    this.rcv = matrixFromQuat(normalizeQuat(calib.cameraToVehicle.orientation));
    this.tcv = { ...calib.cameraToVehicle.position };
  }

  get width(): number {
    return this.calib.width;
  }

  get height(): number {
    return this.calib.height;
  }

  /** Whether (u, v) lies on the image (pixel-centre convention: edges at -0.5 and size - 0.5). */
  inImage(u: number, v: number): boolean {
    return u >= -0.5 && u < this.calib.width - 0.5 && v >= -0.5 && v < this.calib.height - 0.5;
  }

  /**
   * Pixel of a camera-frame point, with lens distortion applied. null when the point is behind
   * (or on) the camera plane, or so far off-axis that the distortion model is not valid there.
   * The pixel may lie outside the image; check with inImage.
   */
  project(pCam: Vec3): PixelPoint | null {
    if (!(pCam.z > MIN_DEPTH)) return null;
    const x = pCam.x / pCam.z;
    const y = pCam.y / pCam.z;
    const { fx, fy, cx, cy } = this.calib;
    if (!this.distorted) return { u: fx * x + cx, v: fy * y + cy };
    if (x * x + y * y > this.maxR2) return null;
    distortNormalized(x, y, this.distortion, this.scratch);
    return { u: fx * this.scratch[0] + cx, v: fy * this.scratch[1] + cy };
  }

  /** Unit ray (camera frame) through the pixel, distortion removed. */
  unproject(u: number, v: number): Vec3 {
    const ray = this.tryUnproject(u, v);
    if (ray === null) {
      throw new RangeError(
        `${this.calib.cameraId}: pixel (${u}, ${v}) cannot be undistorted (outside the region where the distortion model is invertible)`,
      );
    }
    return ray;
  }

  /** Like unproject, but null instead of an error when the pixel cannot be undistorted. */
  tryUnproject(u: number, v: number): Vec3 | null {
    const { fx, fy, cx, cy } = this.calib;
    let x = (u - cx) / fx;
    let y = (v - cy) / fy;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    if (this.distorted) {
      const ok = undistortNormalized(x, y, this.distortion, this.scratch);
      x = this.scratch[0];
      y = this.scratch[1];
      if (!ok || x * x + y * y > this.maxR2) return null;
    }
    const n = Math.sqrt(x * x + y * y + 1);
    return { x: x / n, y: y / n, z: 1 / n };
  }

  cameraToVehicle(p: Vec3): Vec3 {
    const r = this.rcv;
    return {
      x: r[0] * p.x + r[1] * p.y + r[2] * p.z + this.tcv.x,
      y: r[3] * p.x + r[4] * p.y + r[5] * p.z + this.tcv.y,
      z: r[6] * p.x + r[7] * p.y + r[8] * p.z + this.tcv.z,
    };
  }

  vehicleToCamera(p: Vec3): Vec3 {
    const r = this.rcv;
    const dx = p.x - this.tcv.x;
    const dy = p.y - this.tcv.y;
    const dz = p.z - this.tcv.z;
    // R^T * (p - t)
    return {
      x: r[0] * dx + r[3] * dy + r[6] * dz,
      y: r[1] * dx + r[4] * dy + r[7] * dz,
      z: r[2] * dx + r[5] * dy + r[8] * dz,
    };
  }

  /** Direction (vehicle frame) of a camera-frame direction; no translation. */
  cameraDirectionToVehicle(d: Vec3): Vec3 {
    const r = this.rcv;
    return {
      x: r[0] * d.x + r[1] * d.y + r[2] * d.z,
      y: r[3] * d.x + r[4] * d.y + r[5] * d.z,
      z: r[6] * d.x + r[7] * d.y + r[8] * d.z,
    };
  }

  /** Camera position in the vehicle frame. */
  get position(): Vec3 {
    return { ...this.tcv };
  }

  /** Pose of the vehicle frame in the camera frame (the inverse of cameraToVehicle). */
  vehicleToCameraPose(): Pose3 {
    return invertPose3(this.calib.cameraToVehicle);
  }

  projectVehiclePoint(p: Vec3): ProjectedPoint | null {
    const c = this.vehicleToCamera(p);
    const px = this.project(c);
    return px === null ? null : { u: px.u, v: px.v, depth: c.z };
  }

  /**
   * Project many vehicle-frame points at once (hot path: lidar overlays, grid checks).
   * `points` holds `stride` floats per point starting with x, y, z. Returns u, v, depth per
   * point; all three are NaN for points that do not project.
   */
  projectVehiclePoints(points: Float32Array | Float64Array, stride = 3): Float32Array {
    if (stride < 3) throw new RangeError(`stride must be at least 3, got ${stride}`);
    const n = Math.floor(points.length / stride);
    const out = new Float32Array(n * 3);
    // Locals rather than fields in the loop: this runs per lidar point.
    const [r0, r1, r2, r3, r4, r5, r6, r7, r8] = this.rcv;
    const { x: tx, y: ty, z: tz } = this.tcv;
    const { fx, fy, cx, cy } = this.calib;
    const distorted = this.distorted;
    const maxR2 = this.maxR2;
    const [k1, k2, p1, p2, k3] = this.distortion;
    for (let i = 0, j = 0, o = 0; i < n; i++, j += stride, o += 3) {
      const dx = points[j] - tx;
      const dy = points[j + 1] - ty;
      const dz = points[j + 2] - tz;
      const zc = r2 * dx + r5 * dy + r8 * dz;
      let x = (r0 * dx + r3 * dy + r6 * dz) / zc;
      let y = (r1 * dx + r4 * dy + r7 * dz) / zc;
      const rr = x * x + y * y;
      if (!(zc > MIN_DEPTH) || rr > maxR2) {
        out[o] = NaN;
        out[o + 1] = NaN;
        out[o + 2] = NaN;
        continue;
      }
      if (distorted) {
        // Same formula as distortNormalized, inlined.
        const radial = 1 + rr * (k1 + rr * (k2 + rr * k3));
        const xy = x * y;
        const xd = x * radial + 2 * p1 * xy + p2 * (rr + 2 * x * x);
        y = y * radial + p1 * (rr + 2 * y * y) + 2 * p2 * xy;
        x = xd;
      }
      out[o] = fx * x + cx;
      out[o + 1] = fy * y + cy;
      out[o + 2] = zc;
    }
    return out;
  }

  /**
   * Where the pixel's ray meets the horizontal plane z = groundZ of the vehicle frame, in
   * vehicle coordinates. null if the ray does not descend to the plane (at or above the
   * horizon, or the camera is below the plane) or the pixel cannot be undistorted.
   */
  pixelToGround(u: number, v: number, groundZ = 0): Vec3 | null {
    const ray = this.tryUnproject(u, v);
    if (ray === null) return null;
    const d = this.cameraDirectionToVehicle(ray);
    const height = this.tcv.z - groundZ;
    // The ray must point downwards and the plane must be below the camera.
    if (!(d.z < -1e-9) || !(height > 0)) return null;
    const t = height / -d.z;
    return { x: this.tcv.x + t * d.x, y: this.tcv.y + t * d.y, z: groundZ };
  }
}

/**
 * The calibration for the same camera at another image size (a resize of the whole image, no
 * crop). Pixel-centre convention: u' + 0.5 = (u + 0.5) * sx, so fx' = fx sx and
 * cx' = (cx + 0.5) sx - 0.5 (likewise for y). Distortion acts on normalised coordinates and is
 * unchanged.
 */
export function rescaleCalibration(calib: CameraCalibration, width: number, height: number): CameraCalibration {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`${calib.cameraId}: cannot rescale to ${width}x${height}: the size must be positive whole pixels`);
  }
  const sx = width / calib.width;
  const sy = height / calib.height;
  return {
    ...calib,
    width,
    height,
    fx: calib.fx * sx,
    fy: calib.fy * sy,
    cx: (calib.cx + 0.5) * sx - 0.5,
    cy: (calib.cy + 0.5) * sy - 0.5,
    distortion: [...calib.distortion] as CameraCalibration['distortion'],
    cameraToVehicle: {
      position: { ...calib.cameraToVehicle.position },
      orientation: { ...calib.cameraToVehicle.orientation },
    },
  };
}

/** Horizontal field of view in radians (of the undistorted pinhole). */
export function horizontalFov(calib: CameraCalibration): number {
  return Math.atan((calib.cx + 0.5) / calib.fx) + Math.atan((calib.width - 0.5 - calib.cx) / calib.fx);
}

/** Throws a RangeError naming `source` and the first problem found in the calibration. */
export function assertCalibration(calib: CameraCalibration, source: string): void {
  const fail = (what: string): never => {
    throw new RangeError(`${source}: invalid camera calibration: ${what}`);
  };
  if (calib === null || typeof calib !== 'object') fail('not an object');
  if (typeof calib.cameraId !== 'string' || calib.cameraId === '') fail(`cameraId must be a non-empty string, got ${JSON.stringify(calib.cameraId)}`);
  for (const key of ['width', 'height'] as const) {
    const v = calib[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(`${key} must be a positive whole number of pixels, got ${String(v)}`);
  }
  for (const key of ['fx', 'fy'] as const) {
    const v = calib[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${key} must be a positive finite number, got ${String(v)}`);
  }
  for (const key of ['cx', 'cy'] as const) {
    const v = calib[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${key} must be a finite number, got ${String(v)}`);
  }
  const d = calib.distortion;
  if (!Array.isArray(d) || d.length !== 5 || !d.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(`distortion must be 5 finite numbers [k1, k2, p1, p2, k3], got ${JSON.stringify(d)}`);
  }
  const pose = calib.cameraToVehicle;
  const p = pose?.position;
  const q = pose?.orientation;
  if (!p || ![p.x, p.y, p.z].every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(`cameraToVehicle.position must have finite x, y, z, got ${JSON.stringify(p)}`);
  }
  if (!q || ![q.x, q.y, q.z, q.w].every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(`cameraToVehicle.orientation must have finite x, y, z, w, got ${JSON.stringify(q)}`);
  }
  const norm = Math.hypot(q.x, q.y, q.z, q.w);
  if (Math.abs(norm - 1) > 1e-3) fail(`cameraToVehicle.orientation must be a unit quaternion, its norm is ${norm}`);
}
