import { describe, expect, it } from 'vitest';
import { LidarOracleSegmenter } from '../../engine/occupancy/lidar-oracle.js';
import { evaluateOccupancyOnKitti } from '../../engine/evaluate-occupancy.js';
import type { SensorFrame } from '../../types/index.js';
import { forwardCamera } from './forward-camera.js';
import { kittiDrive } from './kitti-frames.js';

const identity = { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };

describe('lidar oracle', () => {
  it('makes a class map from a scan: obstacle from the foot of the wall up, road below it', async () => {
    const calib = forwardCamera(200, 100);
    const frame: SensorFrame = { timeNs: 5n, index: 0, cameraId: 'test_cam', image: { format: 'png', data: new Uint8Array(0) }, calibration: calib, egoPose: identity };
    // A road sampled every 0.5 m out to 30 m, and a wall 12 m ahead, 2 m wide, 0.5..2 m tall.
    const points: number[] = [];
    for (let x = 3; x < 30; x += 0.5) for (let y = -8; y <= 8; y += 0.5) points.push(x, y, 0, 0);
    for (let y = -1; y <= 1; y += 0.05) for (let z = 0.5; z <= 2; z += 0.25) points.push(12, y, z, 0);
    const oracle = new LidarOracleSegmenter([{ timeNs: 5n, index: 0, frameId: 'lidar', xyzi: Float32Array.from(points) }], { frameAt: (t) => (t === 5n ? frame : undefined), lidarToVehicle: identity });
    const seg = await oracle.segmentRgb(new Uint8Array(0), 200, 100, 5n);
    // The wall's foot at 12 m: row cy + f h / x; column 100 looks straight at it.
    const footRow = calib.cy + (calib.fy * 1.65) / 12;
    const at = (u: number, v: number) => seg.classes[v * 200 + u];
    expect(at(100, Math.floor(footRow - 0.5))).toBe(1);
    expect(at(100, 0)).toBe(1);
    expect(at(100, Math.ceil(footRow + 0.5))).toBe(0);
    expect(at(100, 99)).toBe(0);
    // 1 m to each side at 12 m is 16.7 columns: column 60 misses the wall and sees road only.
    expect(seg.classes.filter((c, i) => i % 200 === 60 && c === 1).length).toBe(0);
    await expect(oracle.segmentRgb(new Uint8Array(0), 200, 100, 6n)).rejects.toThrow(/no frame with an ego pose at 6/);
    expect(() => new LidarOracleSegmenter([], { frameAt: () => frame, lidarToVehicle: identity })).toThrow(/no lidar scans/);
  });

  it('on the KITTI drive it finds far more than the model, but not all: the image size limits it', async () => {
    const r = await evaluateOccupancyOnKitti(kittiDrive, { pngCount: 0, lidarOracle: true });
    expect(r.segmentation).toBe('lidar oracle');
    expect(r.failedFrames).toEqual([]);
    expect(r.visibleWithin1Cell.occupied.precision).toBeGreaterThan(0.6);
    expect(r.visibleWithin1Cell.occupied.recall).toBeGreaterThan(0.5);
    expect(r.visible.free.precision).toBeGreaterThan(0.95);
    expect(r.visible.free.recall).toBeGreaterThan(0.7);
  });
});
