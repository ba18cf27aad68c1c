/**
 * The page projects overlays itself (viz/app/src): its projection must agree with the engine's
 * camera model, and its free-space boundary and grid colouring must follow the log-odds.
 */
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { gridFromFoxglove, gridToFoxglove } from '../../datasets/drive-log/index.js';
import { CameraModel } from '../../sensors/camera.js';
import { kittiRawCalibration } from '../../sensors/kitti-calib.js';
import type { CameraCalibration } from '../../types/index.js';
import { gridToRgba } from '../../viz/app/src/colors.js';
import { readGrid, type Calibration } from '../../viz/app/src/foxglove.js';
import { freeSpaceBoundary } from '../../viz/app/src/freespace.js';
import { identityPose } from '../../viz/app/src/pose-math.js';
import { FrameProjector } from '../../viz/app/src/projection.js';
import { projectCloud } from '../../viz/app/src/lidar-overlay.js';
import { transformPoint } from '../../sensors/pose.js';
import { readFileSync } from 'node:fs';

function pageCalibration(c: CameraCalibration): Calibration {
  return { frameId: c.cameraId, width: c.width, height: c.height, fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy, distortion: c.distortion };
}

/** Deterministic points spread over the space ahead of and around the car. */
function samplePoints(n: number): { x: number; y: number; z: number }[] {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: n }, () => ({ x: -10 + rnd() * 60, y: -20 + rnd() * 40, z: -2 + rnd() * 5 }));
}

describe('page-side projection', () => {
  it('matches the engine camera model on the KITTI calibration', () => {
    const { calibration } = kittiRawCalibration(dataPath('kitti-raw'), 2, 397, 120);
    const model = new CameraModel(calibration);
    const projector = new FrameProjector(pageCalibration(calibration), identityPose(), calibration.cameraToVehicle);
    let compared = 0;
    for (const p of samplePoints(2000)) {
      const a = model.projectVehiclePoint(p);
      const b = projector.projectVehicle(p);
      if (!a || a.depth < 0.3) {
        if (!a) expect(b).toBeNull();
        continue;
      }
      // The page skips points far outside the view; inside the image both must agree.
      if (a.u < 0 || a.u >= calibration.width || a.v < 0 || a.v >= calibration.height) continue;
      expect(b).not.toBeNull();
      expect(b!.u).toBeCloseTo(a.u, 6);
      expect(b!.v).toBeCloseTo(a.v, 6);
      expect(b!.depth).toBeCloseTo(a.depth, 9);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('matches it with lens distortion and through the ego pose', () => {
    const { calibration: base } = kittiRawCalibration(dataPath('kitti-raw'), 2, 397, 120);
    const calibration: CameraCalibration = { ...base, distortion: [-0.28, 0.07, 0.0008, -0.0004, 0] };
    const model = new CameraModel(calibration);
    const yaw = 0.7;
    const ego = { position: { x: 105, y: -40, z: 2 }, orientation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) } };
    const projector = new FrameProjector(pageCalibration(calibration), ego, calibration.cameraToVehicle);
    let compared = 0;
    for (const p of samplePoints(2000)) {
      const a = model.projectVehiclePoint(p);
      if (!a || a.depth < 0.3 || a.u < 0 || a.u >= calibration.width || a.v < 0 || a.v >= calibration.height) continue;
      // The same point given in the world frame.
      const c = Math.cos(yaw);
      const s = Math.sin(yaw);
      const world = { x: ego.position.x + c * p.x - s * p.y, y: ego.position.y + s * p.x + c * p.y, z: ego.position.z + p.z };
      const b = projector.projectWorld(world);
      expect(b).not.toBeNull();
      expect(b!.u).toBeCloseTo(a.u, 5);
      expect(b!.v).toBeCloseTo(a.v, 5);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('lidar in the camera image', () => {
  it('lands where the engine camera model puts the same points (KITTI scan 0)', () => {
    const { calibration, lidarToVehicle } = kittiRawCalibration(dataPath('kitti-raw'), 2, 397, 120);
    const raw = readFileSync(dataPath('kitti-raw', '2011_09_26_drive_0001_sync', 'velodyne_points', 'data', '0000000000.bin'));
    const xyzi = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const n = xyzi.length / 4;
    const positions = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) positions.set(xyzi.subarray(i * 4, i * 4 + 3), i * 3);
    const page = projectCloud(positions, lidarToVehicle, calibration.cameraToVehicle, pageCalibration(calibration), Infinity);
    const model = new CameraModel(calibration);
    let count = 0;
    let sumU = 0;
    let sumV = 0;
    for (let i = 0; i < n; i++) {
      const p = transformPoint(lidarToVehicle, { x: positions[i * 3]!, y: positions[i * 3 + 1]!, z: positions[i * 3 + 2]! });
      const px = model.projectVehiclePoint(p);
      if (!px || px.depth <= 0.5 || px.u < -0.5 || px.v < -0.5 || px.u > calibration.width - 0.5 || px.v > calibration.height - 0.5) continue;
      count++;
      sumU += px.u;
      sumV += px.v;
    }
    let pageCount = 0;
    let pageU = 0;
    let pageV = 0;
    for (const b of page.byBucket) {
      for (let i = 0; i < b.length; i += 2) {
        pageCount++;
        pageU += b[i]!;
        pageV += b[i + 1]!;
      }
    }
    expect(count).toBeGreaterThan(10_000);
    expect(Math.abs(pageCount - count)).toBeLessThanOrEqual(count * 0.001);
    expect(pageU / pageCount).toBeCloseTo(sumU / count, 1);
    expect(pageV / pageCount).toBeCloseTo(sumV / count, 1);
  });
});

describe('free-space boundary and grid colours', () => {
  // 40 m x 20 m grid at 0.5 m: free for x < 15 m, an occupied wall at 15 m, unknown beyond.
  const width = 80;
  const height = 40;
  const logOdds = new Float32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const x = -5 + (c + 0.5) * 0.5;
      logOdds[r * width + c] = x < 15 ? -2 : x < 16 ? 3 : 0;
    }
  }
  const msg = gridToFoxglove({ timeNs: 0n, frameId: 'world', origin: { x: -5, y: -10, yaw: 0 }, resolution: 0.5, width, height, logOdds });

  it('reads the engine grid message back to the log-odds the engine reads', () => {
    const grid = readGrid(msg)!;
    expect(grid.cols).toBe(width);
    expect(grid.rows).toBe(height);
    expect(grid.pose.position).toEqual({ x: -5, y: -10, z: 0 });
    const engineSide = gridFromFoxglove(msg);
    for (let i = 0; i < logOdds.length; i++) expect(grid.logOdds[i]).toBeCloseTo(engineSide.logOdds[i], 5);
    expect(new Set(grid.logOdds.map(Math.sign))).toEqual(new Set([-1, 1, 0]));
  });

  it('ends each ray at the wall, marked as occupied', () => {
    const grid = readGrid(msg)!;
    const boundary = freeSpaceBoundary(grid, grid.pose, { x: 0, y: 0, z: 1.5 }, 0, 0.5, 21);
    expect(boundary).toHaveLength(21);
    for (const b of boundary) {
      expect(b.stop).toBe('occupied');
      expect(b.x).toBeGreaterThan(14.4);
      expect(b.x).toBeLessThan(15.01);
    }
  });

  it('crosses small unobserved holes in the free space but stops at wide ones', () => {
    const holed = new Float32Array(logOdds);
    const setColumnRange = (x0: number, x1: number, value: number) => {
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          const x = -5 + (c + 0.5) * 0.5;
          if (x >= x0 && x < x1) holed[r * width + c] = value;
        }
      }
    };
    setColumnRange(6, 7, 0); // a 1 m hole: crossed
    const grid = readGrid(gridToFoxglove({ timeNs: 0n, frameId: 'world', origin: { x: -5, y: -10, yaw: 0 }, resolution: 0.5, width, height, logOdds: holed }))!;
    const crossed = freeSpaceBoundary(grid, grid.pose, { x: 0, y: 0, z: 1.5 }, 0, 0.2, 5);
    for (const b of crossed) expect(b.stop).toBe('occupied');
    setColumnRange(6, 10, 0); // a 4 m hole: the free space ends before it
    const grid2 = readGrid(gridToFoxglove({ timeNs: 0n, frameId: 'world', origin: { x: -5, y: -10, yaw: 0 }, resolution: 0.5, width, height, logOdds: holed }))!;
    const stopped = freeSpaceBoundary(grid2, grid2.pose, { x: 0, y: 0, z: 1.5 }, 0, 0.2, 5);
    for (const b of stopped) {
      expect(b.stop).toBe('unknown');
      expect(b.x).toBeLessThan(6.01);
    }
  });

  it('colours free green, occupied red and unknown grey, confidence as opacity', () => {
    const rgba = gridToRgba(new Float32Array([-3, -0.5, 0, 0.5, 3]));
    const px = (i: number) => [...rgba.subarray(i * 4, i * 4 + 4)];
    expect(px(0)[1]).toBeGreaterThan(px(0)[0]!); // free: green
    expect(px(4)[0]).toBeGreaterThan(px(4)[1]!); // occupied: red
    expect(px(2)[0]).toBe(px(2)[1]! - 4); // unknown: grey-blue
    expect(px(0)[3]).toBeGreaterThan(px(1)[3]!); // surer = more opaque
    expect(px(4)[3]).toBeGreaterThan(px(3)[3]!);
  });
});
