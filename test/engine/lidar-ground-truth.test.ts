import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GT_FREE, GT_OCCUPIED, GT_UNKNOWN, lidarGroundTruth, readVelodyneScan } from '../../engine/occupancy/lidar-ground-truth.js';
import { kittiRawCalibration } from '../../sensors/kitti-calib.js';
import { identityPose3 } from '../../sensors/pose.js';
import { dataPath } from '../../datasets/data-root.js';
import { kittiDrive } from './kitti-frames.js';

const geometry = { originCellX: -200, originCellY: -200, width: 400, height: 400, resolution: 0.2 };
const stateAt = (states: Uint8Array, x: number, y: number) =>
  states[(Math.floor(y / 0.2) - geometry.originCellY) * geometry.width + (Math.floor(x / 0.2) - geometry.originCellX)];

/** A sensor 1.7 m above flat ground: rings of ground returns and a wall 10 m ahead (|y| < 2). */
function syntheticScan(): Float32Array {
  const pts: number[] = [];
  for (let r = 3; r < 25; r += 0.25) {
    for (let a = -Math.PI; a < Math.PI; a += 0.01) {
      const x = r * Math.cos(a);
      const y = r * Math.sin(a);
      if (x >= 10 && Math.abs(y) < 2) continue; // hidden behind the wall (roughly)
      pts.push(x, y, -1.7, 0.1);
    }
  }
  for (let y = -2; y <= 2; y += 0.05) for (let z = -1.6; z < 0.5; z += 0.1) pts.push(10.05, y, z, 0.5);
  return Float32Array.from(pts);
}

describe('lidar ground truth', () => {
  it('marks a wall occupied, the ground before it free and what it hides unknown', () => {
    const gt = lidarGroundTruth(syntheticScan(), identityPose3(), identityPose3(), geometry, { groundZ: -1.7 });
    expect(gt.plane.c).toBeCloseTo(-1.7, 2);
    expect(stateAt(gt.states, 10.1, 0)).toBe(GT_OCCUPIED);
    expect(stateAt(gt.states, 10.1, 1.5)).toBe(GT_OCCUPIED);
    for (const x of [4, 7, 9.5]) expect(stateAt(gt.states, x, 0), `free at ${x}`).toBe(GT_FREE);
    expect(stateAt(gt.states, 14, 0)).toBe(GT_UNKNOWN);
    expect(stateAt(gt.states, 14, 5)).toBe(GT_FREE); // beside the wall
    expect(stateAt(gt.states, -6, 0)).toBe(GT_FREE); // behind the sensor
  });

  it('finds the road plane of a real KITTI scan where the mounting says it is', () => {
    const { lidarToVehicle, groundZ } = kittiRawCalibration(dataPath('kitti-raw'), 2, 397, 120);
    const scan = readVelodyneScan(join(kittiDrive, 'velodyne_points', 'data', '0000000050.bin'));
    const gt = lidarGroundTruth(scan, lidarToVehicle, identityPose3(), geometry, { groundZ });
    expect(Math.abs(gt.plane.c - groundZ)).toBeLessThan(0.1);
    // Nearly level (this street falls about 3 % towards the left kerb).
    expect(Math.hypot(gt.plane.a, gt.plane.b)).toBeLessThan(0.05);
    expect(gt.counts.occupiedCells).toBeGreaterThan(300);
    expect(gt.counts.freeCells).toBeGreaterThan(10 * gt.counts.occupiedCells);
    // Straight ahead on the road, 8 m: free.
    expect(stateAt(gt.states, 8, 0)).toBe(GT_FREE);
  });

  it('rejects a file that is not a whole number of points', () => {
    expect(() => readVelodyneScan(join(kittiDrive, 'oxts', 'timestamps.txt'))).toThrow(/16 bytes per point/);
  });
});
