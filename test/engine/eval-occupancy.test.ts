import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateOccupancyOnKitti } from '../../engine/evaluate-occupancy.js';
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
      expect(r.pngs.length).toBe(2);
      for (const p of r.pngs) expect(existsSync(p)).toBe(true);
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
