import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CAMVID_VOID, loadCamvidClasses, loadCamvidLabel, readCamvidSplit } from '../../datasets/camvid.js';
import { dataPath } from '../../datasets/data-root.js';

describe('CamVid split reader (real data)', () => {
  it('pairs the 101 val images with their labels and reads classes.json', () => {
    const split = readCamvidSplit(dataPath('camvid', 'val'));
    expect(split.samples).toHaveLength(101);
    expect(split.classes).toHaveLength(12);
    expect(split.classes[3]).toEqual({ id: 3, name: 'Road', color: [128, 64, 128] });
    expect(split.classes[CAMVID_VOID].name).toBe('Unlabelled');
    expect(split.samples[0].imagePath.endsWith('.jpg')).toBe(true);
  });

  it('reads a label PNG as 480x360 class indices with a large share of Road', async () => {
    const split = readCamvidSplit(dataPath('camvid', 'val'));
    const label = await loadCamvidLabel(split.samples[0].labelPath);
    expect([label.width, label.height]).toEqual([480, 360]);
    expect(label.classes).toHaveLength(480 * 360);
    let road = 0;
    let max = 0;
    for (const c of label.classes) {
      if (c === 3) road++;
      max = Math.max(max, c);
    }
    expect(max).toBeLessThanOrEqual(CAMVID_VOID);
    expect(road / label.classes.length).toBeGreaterThan(0.1);
  });

  it('fails clearly on a split without labels, a colour label, or bad classes.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camvid-bad-'));
    mkdirSync(join(dir, 'split', 'images'), { recursive: true });
    expect(() => readCamvidSplit(join(dir, 'split'))).toThrow(/missing folder labels\//);
    mkdirSync(join(dir, 'split', 'labels'));
    writeFileSync(join(dir, 'split', 'images', 'a.jpg'), '');
    expect(() => readCamvidSplit(join(dir, 'split'))).toThrow(/image a\.jpg has no label labels\/a\.png/);
    const rgbLabel = join(dir, 'rgb.png');
    await sharp(new Uint8Array(4 * 4 * 3), { raw: { width: 4, height: 4, channels: 3 } }).png().toFile(rgbLabel);
    await expect(loadCamvidLabel(rgbLabel)).rejects.toThrow(/rgb\.png: expected 8-bit single-channel grayscale/);
    writeFileSync(join(dir, 'classes.json'), JSON.stringify([{ id: 1, name: 'Sky', color: [0, 0, 0] }]));
    expect(() => loadCamvidClasses(join(dir, 'classes.json'))).toThrow(/entry 0 must be/);
  });
});
