/**
 * Drive logs for the viewer's tests, written with DriveWriter: a synthetic drive of any length
 * with small images, optionally with grid / plan / trajectory / engine results the way the
 * engine's replay writes them (foxglove.Grid via gridToFoxglove, foxglove.PosesInFrame, JSON).
 */
import sharp from 'sharp';
import { DriveWriter, gridToFoxglove } from '../../datasets/drive-log/index.js';
import type { CameraCalibration, OccupancyGrid, Pose3 } from '../../types/index.js';
import { topics } from '../../types/topics.js';

export const START_NS = 1_317_000_000_000_000_000n;
export const FRAME_NS = 100_000_000n;

/** Camera 1.5 m above base_link, 1.2 m forward, looking along +x (OpenCV axes in REP 103). */
export function syntheticCalibration(width: number, height: number): CameraCalibration {
  return {
    cameraId: 'image_02',
    width,
    height,
    fx: width * 0.8,
    fy: width * 0.8,
    cx: (width - 1) / 2,
    cy: (height - 1) / 2,
    distortion: [0, 0, 0, 0, 0],
    cameraToVehicle: { position: { x: 1.2, y: 0, z: 1.5 }, orientation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } },
  };
}

/** A gentle left curve at 8 m/s. */
export function syntheticPose(i: number): Pose3 {
  const s = i * 0.8;
  const yaw = s * 0.004;
  const x = Math.abs(yaw) < 1e-9 ? s : Math.sin(yaw) / 0.004;
  const y = Math.abs(yaw) < 1e-9 ? 0 : (1 - Math.cos(yaw)) / 0.004;
  return { position: { x, y, z: 0 }, orientation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) } };
}

/** A sky / road picture with a bright bar whose position encodes the frame index. */
export async function syntheticImage(i: number, width: number, height: number): Promise<Uint8Array> {
  const rgb = new Uint8Array(width * height * 3);
  const bar = Math.floor(((i * 7) % width + width) % width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const road = y > height / 2;
      rgb[o] = road ? 70 : 110 + (y * 80) / height;
      rgb[o + 1] = road ? 70 : 150 + (y * 60) / height;
      rgb[o + 2] = road ? 80 : 220;
      if (Math.abs(x - bar) < Math.max(2, width / 16)) {
        rgb[o] = 250;
        rgb[o + 1] = (i * 37) % 256;
        rgb[o + 2] = 40;
      }
    }
  }
  return rgb;
}

function yawOf(p: Pose3): number {
  const q = p.orientation;
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

/** A 40 m x 40 m grid centred on the car: a free corridor ahead, walls beside it, an obstacle that moves. */
export function syntheticGrid(i: number, timeNs: bigint, ego: Pose3): OccupancyGrid {
  const res = 0.25;
  const n = 160;
  const logOdds = new Float32Array(n * n);
  const yaw = yawOf(ego);
  const ox = ego.position.x - (n * res) / 2;
  const oy = ego.position.y - (n * res) / 2;
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const obstacleAhead = 8 + (i % 20);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const wx = ox + (k + 0.5) * res - ego.position.x;
      const wy = oy + (r + 0.5) * res - ego.position.y;
      const ahead = c * wx + s * wy;
      const left = -s * wx + c * wy;
      let l = 0;
      if (ahead > 2 && ahead < 19 && Math.abs(left) < 3.5) l = -2.5;
      if (ahead > 2 && ahead < 19 && Math.abs(left) >= 3.5 && Math.abs(left) < 4.2) l = 3;
      if (Math.abs(ahead - obstacleAhead) < 0.6 && left > 0.5 && left < 2.5) l = 3;
      logOdds[r * n + k] = l;
    }
  }
  return { timeNs, frameId: 'world', origin: { x: ox, y: oy, yaw: 0 }, resolution: res, width: n, height: n, logOdds };
}

export interface SyntheticDriveOptions {
  frames: number;
  width?: number;
  height?: number;
  /** Grid, plan, trajectory and frame results as the engine's replay writes them. */
  engineOutputs?: boolean;
  /** Ego poses (default true); without them the log is images and calibration only. */
  poses?: boolean;
}

export async function writeSyntheticDrive(path: string, opts: SyntheticDriveOptions): Promise<void> {
  const width = opts.width ?? 64;
  const height = opts.height ?? 48;
  const calibration = syntheticCalibration(width, height);
  const w = await DriveWriter.create(path);
  try {
    for (let i = 0; i < opts.frames; i++) {
      const timeNs = START_NS + BigInt(i) * FRAME_NS;
      const egoPose = syntheticPose(i);
      await w.writeFrame({
        timeNs,
        index: i,
        cameraId: calibration.cameraId,
        image: { format: 'rgb8', width, height, data: await syntheticImage(i, width, height) },
        calibration,
        ...(opts.poses === false ? {} : { egoPose }),
      });
      if (!opts.engineOutputs) continue;
      const status = i % 17 === 5 ? 'dropped' : i % 29 === 11 ? 'failed' : 'processed';
      const timings = { decode: 1 + (i % 3), segment: 20 + (i % 7), project: 2, fuse: 3 + (i % 2), plan: 5 + (i % 11), total: 0 };
      timings.total = timings.decode + timings.segment + timings.project + timings.fuse + timings.plan;
      await w.writeJson(topics.frameResult, timeNs, {
        index: i,
        status,
        reason: status === 'dropped' ? 'queue full: the segmenter was busy' : status === 'failed' ? 'plan: start in collision' : undefined,
        timings,
        diagnostics: status === 'processed' ? [] : [{ level: status === 'failed' ? 'error' : 'warn', stage: status === 'failed' ? 'plan' : 'schedule', message: `frame ${i} ${status}` }],
      });
      if (status === 'dropped') continue;
      await w.writeFoxglove(topics.occupancy, 'foxglove.Grid', timeNs, gridToFoxglove(syntheticGrid(i, timeNs, egoPose)));
      const yaw = yawOf(egoPose);
      const points = Array.from({ length: 30 }, (_, k) => {
        const d = 3 + k * 0.5;
        const bend = 0.02 * k * k * 0.05;
        return {
          x: egoPose.position.x + Math.cos(yaw) * d - Math.sin(yaw) * bend,
          y: egoPose.position.y + Math.sin(yaw) * d + Math.cos(yaw) * bend,
          yaw,
          t: k * 0.1,
          v: Math.max(0, 8 - k * 0.25),
        };
      });
      await w.writeFoxglove(topics.plan, 'foxglove.PosesInFrame', timeNs, {
        timestamp: timeNs,
        frame_id: 'world',
        poses: points.map((p) => ({ position: { x: p.x, y: p.y, z: 0 }, orientation: { x: 0, y: 0, z: Math.sin(p.yaw / 2), w: Math.cos(p.yaw / 2) } })),
      });
      await w.writeJson(topics.trajectory, timeNs, { status: status === 'failed' ? 'start_in_collision' : 'ok', cost: 12.5, planningMs: timings.plan, expansions: 100, points });
    }
  } finally {
    await w.close();
  }
}
