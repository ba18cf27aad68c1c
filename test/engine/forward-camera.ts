/**
 * A hand-made forward-looking camera and a renderer of class maps for a flat world with
 * wall-like obstacles, for occupancy tests whose expected answer is known exactly.
 */
import type { CameraCalibration, ClassInfo, Pose2, Segmentation } from '../../types/index.js';
import { CameraModel } from '../../sensors/camera.js';
import { matrixFromQuat, quatFromEuler, quatFromMatrix } from '../../sensors/pose.js';

export const ROAD = 0;
export const CAR = 1;
export const SKY = 2;
export const PAVEMENT = 3;

export const classTable: ClassInfo[] = [
  { id: ROAD, name: 'Road', color: [128, 64, 128], role: 'drivable' },
  { id: CAR, name: 'Car', color: [64, 0, 128], role: 'obstacle' },
  { id: SKY, name: 'Sky', color: [128, 128, 128], role: 'ignore' },
  { id: PAVEMENT, name: 'Pavement', color: [60, 40, 222], role: 'ground' },
];

/** 200x100 pinhole, f = 200 px, 1.65 m above the road plane z = 0, looking along vehicle +x. */
export function forwardCamera(width = 200, height = 100): CameraCalibration {
  // Columns are the camera axes in the vehicle frame: x_cam -> -y, y_cam -> -z, z_cam -> +x.
  const r = [0, 0, 1, -1, 0, 0, 0, -1, 0];
  return {
    cameraId: 'test_cam',
    width,
    height,
    fx: width,
    fy: width,
    cx: (width - 1) / 2,
    cy: (height - 1) / 2,
    distortion: [0, 0, 0, 0, 0],
    cameraToVehicle: { position: { x: 0, y: 0, z: 1.65 }, orientation: quatFromMatrix(r) },
  };
}

/** An axis-aligned box standing on the road, world frame. */
export interface Box {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Whether the 2D segment a -> b touches the box (Liang-Barsky clipping). */
function segmentHitsBox(ax: number, ay: number, bx: number, by: number, box: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    return t0 <= t1;
  };
  return clip(-dx, ax - box.minX) && clip(dx, box.maxX - ax) && clip(-dy, ay - box.minY) && clip(dy, box.maxY - ay);
}

/**
 * Class map as the camera at `ego` sees a flat road with boxes taller than the camera: a
 * pixel is CAR when the line of sight to its ground point passes through a box (then every
 * pixel above it in the column is CAR too), ROAD when it reaches the ground freely, SKY above
 * the horizon.
 */
export function renderSegmentation(
  calib: CameraCalibration,
  ego: Pose2,
  boxes: Box[],
  timeNs: bigint,
  attitude: { roll: number; pitch: number } = { roll: 0, pitch: 0 },
): Segmentation {
  const cam = new CameraModel(calib);
  // The world's road is the level plane z = 0; the vehicle is rolled and pitched over it.
  const tilt = matrixFromQuat(quatFromEuler(attitude.roll, attitude.pitch, 0));
  const rot = (v: { x: number; y: number; z: number }) => ({
    x: tilt[0] * v.x + tilt[1] * v.y + tilt[2] * v.z,
    y: tilt[3] * v.x + tilt[4] * v.y + tilt[5] * v.z,
    z: tilt[6] * v.x + tilt[7] * v.y + tilt[8] * v.z,
  });
  const camLevel = rot(calib.cameraToVehicle.position);
  const groundOf = (u: number, v: number): { x: number; y: number } | null => {
    const d = rot(cam.cameraDirectionToVehicle(cam.unproject(u, v)));
    if (!(d.z < -1e-9)) return null;
    const t = camLevel.z / -d.z;
    return { x: camLevel.x + t * d.x, y: camLevel.y + t * d.y };
  };
  const { width, height } = calib;
  const classes = new Uint8Array(width * height).fill(SKY);
  const c = Math.cos(ego.yaw);
  const s = Math.sin(ego.yaw);
  for (let u = 0; u < width; u++) {
    let blocked = false;
    for (let v = height - 1; v >= 0; v--) {
      if (blocked) {
        classes[v * width + u] = CAR;
        continue;
      }
      const g = groundOf(u, v);
      if (!g) break;
      const wx = ego.x + c * g.x - s * g.y;
      const wy = ego.y + s * g.x + c * g.y;
      const camX = ego.x + c * camLevel.x - s * camLevel.y;
      const camY = ego.y + s * camLevel.x + c * camLevel.y;
      const hit = boxes.some((b) => segmentHitsBox(camX, camY, wx, wy, b));
      if (hit) {
        blocked = true;
        classes[v * width + u] = CAR;
      } else {
        classes[v * width + u] = ROAD;
      }
    }
  }
  return { timeNs, width, height, classes, classTable };
}
