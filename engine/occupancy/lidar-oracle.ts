/**
 * The lidar oracle: a Segmenter whose class maps come from the drive's lidar instead of a
 * model. Every pixel at or above the foot of the nearest lidar obstacle in its column is an
 * obstacle, every pixel below it road. Fed through the same column walk and fusion as a model's
 * maps, it shows what camera-only free space could reach at this image size with a perfect
 * segmentation: the ceiling set by the pixels themselves (one row covers metres of road far
 * out), not by the model. `grokdrive eval occupancy --lidar-oracle`.
 *
 * Obstacle returns are those the ground truth counts (lidar-ground-truth.ts: a plane fitted per
 * scan, heights in its band). A frame without a scan of its own uses the scan nearest in time,
 * carried over by the ego poses (the world is taken as static). The feet are projected onto the
 * road as the walk sees it: the plane z = groundZ of the vehicle frame, or with `levelGround`
 * that plane levelled by the vehicle's roll and pitch (occupancy-mapper.ts).
 */
import type { ClassInfo, Pose3, Segmentation, SensorFrame, TimeNs } from '../../types/index.js';
import type { Segmenter } from '../segmenter.js';
import type { LidarScan } from '../../sensors/sources/frame-source.js';
import { CameraModel, rescaleCalibration } from '../../sensors/camera.js';
import { eulerFromQuat, invertPose3, transformPoint } from '../../sensors/pose.js';
import { defaultLidarGroundTruthOptions, vehicleReturns, type LidarGroundTruthOptions } from './lidar-ground-truth.js';

/** Classes of the oracle's maps. */
const ROAD = 0;
const OBSTACLE = 1;
const oracleClasses: ClassInfo[] = [
  { id: ROAD, name: 'Road', color: [128, 64, 128], role: 'drivable' },
  { id: OBSTACLE, name: 'Obstacle', color: [255, 0, 0], role: 'obstacle' },
];

interface WorldScan {
  timeNs: TimeNs;
  /** Obstacle returns in the world frame: x, y per return. */
  points: Float64Array;
}

export interface LidarOracleOptions {
  /** Frames by time: the oracle needs each frame's calibration, ego pose and road height. */
  frameAt: (timeNs: TimeNs) => SensorFrame | undefined;
  lidarToVehicle: Pose3;
  groundTruth?: Partial<LidarGroundTruthOptions>;
  /** Project onto the road levelled by the vehicle's attitude, as the walk does (default true). */
  levelGround?: boolean;
}

export class LidarOracleSegmenter implements Segmenter {
  readonly classTable = oracleClasses;
  private scans: WorldScan[];

  /** `scans`: every scan of the drive, with frames at their times (frameAt must know them). */
  constructor(scans: readonly LidarScan[], private readonly opts: LidarOracleOptions) {
    if (scans.length === 0) throw new Error('lidar oracle: the drive has no lidar scans');
    this.scans = scans.map((s) => this.worldScan(s));
  }

  private worldScan(scan: LidarScan): WorldScan {
    const frame = this.opts.frameAt(scan.timeNs);
    const where = scan.file ?? `lidar scan ${scan.index}`;
    if (!frame?.egoPose) throw new Error(`${where}: lidar oracle: no frame with an ego pose at the scan's time`);
    const o = { ...defaultLidarGroundTruthOptions, groundZ: frame.groundZ ?? 0, ...this.opts.groundTruth };
    const { n, xs, ys, zs, plane } = vehicleReturns(scan.xyzi, this.opts.lidarToVehicle, o);
    const points: number[] = [];
    for (let i = 0; i < n; i++) {
      const height = zs[i] - (plane.a * xs[i] + plane.b * ys[i] + plane.c);
      if (height < o.obstacleMinHeight || height > o.obstacleMaxHeight) continue;
      const w = transformPoint(frame.egoPose, { x: xs[i], y: ys[i], z: 0 });
      points.push(w.x, w.y);
    }
    return { timeNs: scan.timeNs, points: Float64Array.from(points) };
  }

  private nearestScan(timeNs: TimeNs): WorldScan {
    let best = this.scans[0];
    const gap = (s: WorldScan) => (s.timeNs > timeNs ? s.timeNs - timeNs : timeNs - s.timeNs);
    for (const s of this.scans) if (gap(s) < gap(best)) best = s;
    return best;
  }

  async segmentRgb(_rgb: Uint8Array, width: number, height: number, timeNs: TimeNs): Promise<Segmentation> {
    const frame = this.opts.frameAt(timeNs);
    if (!frame?.egoPose) throw new Error(`lidar oracle: no frame with an ego pose at ${timeNs}`);
    const calib = frame.calibration.width === width && frame.calibration.height === height ? frame.calibration : rescaleCalibration(frame.calibration, width, height);
    const camera = new CameraModel(calib);
    const groundZ = frame.groundZ ?? 0;
    // The road the walk assumes, in the vehicle frame. Levelled, it is the plane whose height
    // in the level frame is groundZ: -sin(p) x + cos(p) sin(r) y + cos(p) cos(r) z = groundZ
    // (rowScales in free-space.ts).
    const { roll, pitch } = this.opts.levelGround ?? true ? eulerFromQuat(frame.egoPose.orientation) : { roll: 0, pitch: 0 };
    const sp = Math.sin(pitch);
    const cp = Math.cos(pitch);
    const road = (x: number, y: number) => (groundZ + sp * x - cp * Math.sin(roll) * y) / (cp * Math.cos(roll));
    const toVehicle = invertPose3(frame.egoPose);
    const foot = new Float32Array(width).fill(-1);
    const { points } = this.nearestScan(timeNs);
    for (let i = 0; i < points.length; i += 2) {
      const p = transformPoint(toVehicle, { x: points[i], y: points[i + 1], z: 0 });
      const px = camera.projectVehiclePoint({ x: p.x, y: p.y, z: road(p.x, p.y) });
      if (!px || px.depth < 0.5) continue;
      const u = Math.round(px.u);
      if (u >= 0 && u < width && px.v > foot[u]) foot[u] = px.v;
    }
    const classes = new Uint8Array(width * height); // ROAD
    for (let u = 0; u < width; u++) {
      // Pixels whose centre lies at or above (beyond) the foot show the obstacle.
      if (foot[u] < 0) continue;
      const last = Math.min(height - 1, Math.floor(foot[u] - 0.5));
      for (let v = 0; v <= last; v++) classes[v * width + u] = OBSTACLE;
    }
    return { timeNs, width, height, classes, classTable: this.classTable };
  }
}
