import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSegmentationDataset } from '../../datasets/synthetic/index.js';
import { CAMVID_VOID, loadCamvidClasses, loadCamvidLabel, readCamvidSplit } from '../../datasets/camvid.js';
import { dataPath } from '../../datasets/data-root.js';

describe('synthetic segmentation dataset', () => {
  it('writes images, labels and the class table in CamVid layout, readable as a CamVid split', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grokdrive-synth-ds-'));
    try {
      const res = await exportSegmentationDataset(dir, { seeds: [3], split: 'train', seconds: 2, every: 10, width: 160, height: 120 });
      expect(res.images).toBe(2);
      const split = readCamvidSplit(join(dir, 'train'));
      expect(split.samples.map((s) => s.name)).toEqual(['syn3_00000', 'syn3_00010']);
      // The same class table as the real CamVid data, so models and `eval seg` read both alike.
      const real = loadCamvidClasses(dataPath('camvid', 'classes.json'));
      expect(split.classes).toEqual(real);
      const label = await loadCamvidLabel(split.samples[1].labelPath);
      expect([label.width, label.height]).toEqual([160, 120]);
      const seen = new Set(label.classes);
      for (const c of seen) expect(c).toBeLessThanOrEqual(CAMVID_VOID);
      expect(seen.has(0) && seen.has(3)).toBe(true); // sky and road in every street view
      expect(JSON.parse(readFileSync(join(dir, 'classes.json'), 'utf8'))).toHaveLength(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
