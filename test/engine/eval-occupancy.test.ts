import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { evaluateOccupancyOnKitti } from '../../engine/evaluate-occupancy.js';
import { GT_FREE, GT_OCCUPIED } from '../../engine/occupancy/lidar-ground-truth.js';
import { addCounts, compareOccupancy, scoreOccupancy } from '../../engine/occupancy/occupancy-metrics.js';
import { kittiDrive } from './kitti-frames.js';

describe('eval occupancy on the KITTI drive', () => {
  it('scores the fused camera grid against every lidar scan and draws the comparison', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grokdrive-eval-occ-'));
    try {
      // Pavement as flat ground, so the walk reaches the walls and parked cars beyond it.
      const r = await evaluateOccupancyOnKitti(kittiDrive, { pngDir: dir, pngCount: 2, engine: { occupancy: { classRoles: { Pavement: 'ground' } } } });
      expect(r.frames).toBe(108);
      expect(r.evaluatedFrames).toBe(11);
      expect(r.failedFrames).toEqual([]);
      // Two frames: each a top-down comparison and the camera's view (image, classes, flat in stereo).
      expect(r.pngs.map((p) => basename(p).replace(/\d+/, 'N'))).toEqual(['occupancy-N.png', 'camera-N.png', 'occupancy-N.png', 'camera-N.png']);
      for (const p of r.pngs) expect(existsSync(p)).toBe(true);
      const camera = await sharp(r.pngs[1]).metadata();
      expect([camera.width, camera.height]).toEqual([397, 3 * 120]);
      // The scored region (field of view, 3..30 m) is the same size every frame: ~15k cells.
      expect(r.scores.cells / r.evaluatedFrames).toBeGreaterThan(10_000);
      expect(r.scores.cells / r.evaluatedFrames).toBeLessThan(20_000);
      // Floors well below what the committed model reaches, so a broken projection (wrong
      // road height, flipped axes, a grid that does not follow the car) fails.
      expect(r.scores.free.precision).toBeGreaterThan(0.9);
      expect(r.scores.free.recall).toBeGreaterThan(0.2);
      expect(r.visibleWithin1Cell.occupied.recall).toBeGreaterThan(0.25);
      // The bands split the region and the truth between them.
      expect(r.byRange.map((b) => [b.from, b.to])).toEqual([[3, 10], [10, 20], [20, 30]]);
      expect(r.byRange.reduce((n, b) => n + b.visibleWithin1Cell.cells, 0)).toBeGreaterThanOrEqual(r.visibleWithin1Cell.cells);
      // image_03 is there, so the stereo ground check ran. Without it the walk stops at the
      // tram tracks' gravel bed, which the model reads as an obstacle: less found, more false.
      const mono = await evaluateOccupancyOnKitti(kittiDrive, { pngCount: 0, stereo: false, engine: { occupancy: { classRoles: { Pavement: 'ground' } } } });
      expect(r.visibleWithin1Cell.occupied.recall).toBeGreaterThan(mono.visibleWithin1Cell.occupied.recall + 0.05);
      expect(r.visibleWithin1Cell.occupied.precision).toBeGreaterThan(mono.visibleWithin1Cell.occupied.precision + 0.05);
      expect(r.visible.free.precision).toBeGreaterThan(0.95);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('occupancy scores with a tolerance', () => {
  // One row of ten cells: truth occupied at 2 and 7, free elsewhere; predictions at 1, 2, 3.
  const truth = Uint8Array.from({ length: 10 }, (_, i) => (i === 2 || i === 7 ? GT_OCCUPIED : GT_FREE));
  const logOdds = Float32Array.from({ length: 10 }, (_, i) => (i >= 1 && i <= 3 ? 2 : -1));
  const mask = new Uint8Array(10).fill(1);

  it('counts each truth cell and each prediction once: a cluster around one obstacle finds only that one', () => {
    const near = scoreOccupancy(compareOccupancy(logOdds, truth, mask, 10, undefined, 1));
    expect(near.occupied.recall).toBe(0.5); // cell 7 is missed, however many predictions surround cell 2
    expect(near.occupied.precision).toBe(1); // 1 and 3 are one cell off
    expect(near.occupied.iou).toBeCloseTo(0.5, 12);
    const strict = scoreOccupancy(compareOccupancy(logOdds, truth, mask, 10));
    expect(strict.occupied.recall).toBe(0.5);
    expect(strict.occupied.precision).toBeCloseTo(1 / 3, 12);
    expect(near.free).toEqual(strict.free); // free is always compared cell for cell
  });

  it('adds up over frames', () => {
    const one = compareOccupancy(logOdds, truth, mask, 10, undefined, 1);
    expect(addCounts(one, one).occupiedNear).toEqual({ truth: 4, truthFound: 2, predicted: 6, predictedConfirmed: 6 });
    expect(scoreOccupancy(addCounts(one, one)).occupied.recall).toBe(0.5);
  });
});
