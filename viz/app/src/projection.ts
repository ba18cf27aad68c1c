/**
 * Pinhole projection with plumb_bob distortion, done in the page from the log's
 * CameraCalibration and transforms. Camera frame: x right, y down, z forward (OpenCV); pixel
 * coordinates in the pixel-centre convention (pixel (0,0)'s centre is at u = 0, v = 0).
 */
import type { Calibration } from './foxglove.js';
import { compose, invert, transformPoint, type Pose, type Vec3 } from './pose-math.js';

export interface Pixel {
  u: number;
  v: number;
  depth: number;
}

/** Nearer than this (metres along the optical axis) is not drawn. */
const MIN_DEPTH = 0.3;
/** Beyond this normalised radius the distortion polynomial folds back; do not trust it. */
const MAX_NORMALISED_RADIUS = 1.5;

export function projectCameraPoint(calib: Calibration, p: Vec3): Pixel | null {
  if (!(p.z > MIN_DEPTH)) return null;
  const x = p.x / p.z;
  const y = p.y / p.z;
  const r2 = x * x + y * y;
  if (r2 > MAX_NORMALISED_RADIUS * MAX_NORMALISED_RADIUS) return null;
  const [k1, k2, p1, p2, k3] = calib.distortion;
  const radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
  const xd = x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x);
  const yd = y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y;
  return { u: calib.fx * xd + calib.cx, v: calib.fy * yd + calib.cy, depth: p.z };
}

/** Projects world points for one frame: world -> vehicle (ego pose) -> camera (extrinsics). */
export class FrameProjector {
  private readonly worldToCamera: Pose;
  private readonly vehicleToCamera: Pose;
  private readonly worldToVehicle: Pose;

  constructor(
    readonly calib: Calibration,
    /** Pose of the vehicle in the world. */
    readonly egoPose: Pose,
    /** Pose of the camera in the vehicle frame. */
    readonly cameraToVehicle: Pose,
  ) {
    this.worldToCamera = invert(compose(egoPose, cameraToVehicle));
    this.vehicleToCamera = invert(cameraToVehicle);
    this.worldToVehicle = invert(egoPose);
  }

  projectVehicle(p: Vec3): Pixel | null {
    return projectCameraPoint(this.calib, transformPoint(this.vehicleToCamera, p));
  }

  /**
   * A point on the road below world (x, y): placed on the plane z = groundZ of the vehicle
   * frame, which is where the engine's ground model puts it.
   */
  projectGround(x: number, y: number, groundZ: number): Pixel | null {
    const v = transformPoint(this.worldToVehicle, { x, y, z: this.egoPose.position.z });
    return this.projectVehicle({ x: v.x, y: v.y, z: groundZ });
  }

  /** Camera position in the world. */
  cameraPosition(): Vec3 {
    return transformPoint(compose(this.egoPose, this.cameraToVehicle), { x: 0, y: 0, z: 0 });
  }

  /** Optical axis direction in the world. */
  cameraForward(): Vec3 {
    const pose = compose(this.egoPose, this.cameraToVehicle);
    const o = transformPoint(pose, { x: 0, y: 0, z: 0 });
    const f = transformPoint(pose, { x: 0, y: 0, z: 1 });
    return { x: f.x - o.x, y: f.y - o.y, z: f.z - o.z };
  }

  projectWorld(p: Vec3): Pixel | null {
    return projectCameraPoint(this.calib, transformPoint(this.worldToCamera, p));
  }

  /** Half of the horizontal field of view (radians), from the image width and fx. */
  halfFovX(): number {
    return Math.atan2(Math.max(this.calib.cx + 0.5, this.calib.width - 0.5 - this.calib.cx), this.calib.fx);
  }
}
