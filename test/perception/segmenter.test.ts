import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCamvidSplit } from '../../datasets/camvid.js';
import { dataPath, repoRoot } from '../../datasets/data-root.js';
import { decodeImage } from '../../engine/perception/decode.js';
import { evaluateSegmenter } from '../../engine/perception/evaluate.js';
import { defaultManifestPath } from '../../engine/perception/manifest.js';
import { OnnxSegmenter } from '../../engine/perception/segmenter.js';
import { fixInputShape } from '../../engine/perception/fix-input-shape.js';

// Every 10th CamVid val frame: a fixed subset spread along the drive.
const split = readCamvidSplit(dataPath('camvid', 'val'));
const SUBSET = split.samples.filter((_, i) => i % 10 === 5).map((s) => s.name);
// Each committed model's mIoU and Road IoU on this subset (docs/perception.md); the floors sit
// clearly below so that only a broken model or broken pre/post-processing fails.
const MODELS = [
  { name: 'camvid-dsnet', miouFloor: 0.5, roadFloor: 0.88 }, // measured 0.614, Road 0.943
  { name: 'camvid-dsnet-hr', miouFloor: 0.5, roadFloor: 0.88 }, // measured 0.642, Road 0.949
];

describe.each(MODELS)('OnnxSegmenter $name on real CamVid val frames', ({ name, miouFloor, roadFloor }) => {
  let seg: OnnxSegmenter;
  beforeAll(async () => {
    seg = await OnnxSegmenter.load(join(repoRoot(), 'models', `${name}.manifest.json`), { threads: 2 });
  });
  afterAll(async () => {
    await seg?.dispose();
  });

  it(`keeps mIoU over a fixed ${SUBSET.length}-image subset above the floor`, async () => {
    const r = await evaluateSegmenter(seg, split.dir, { names: SUBSET });
    expect(r.images).toBe(10);
    expect(r.miou).toBeGreaterThan(miouFloor);
    expect(r.perClassIoU.Road).toBeGreaterThan(roadFloor);
    expect(r.pixelAccuracy).toBeGreaterThan(r.miou);
  });

  it('returns a class map at model size, resizes it, and gives the same answer for concurrent calls', async () => {
    const s = split.samples[40];
    const img = await decodeImage({ format: 'jpeg', data: readFileSync(s.imagePath) }, s.imagePath);
    const [a, b] = await Promise.all([
      seg.segmentRgb(img.rgb, img.width, img.height, 5n),
      seg.segmentRgb(img.rgb, img.width, img.height, 6n),
    ]);
    const { width, height } = seg.manifest.output;
    expect([a.width, a.height, a.timeNs]).toEqual([width, height, 5n]);
    expect(a.classes).toHaveLength(width * height);
    expect(Array.from(a.classes)).toEqual(Array.from(b.classes));
    expect(Math.max(...a.classes)).toBeLessThan(a.classTable.length);
    const big = seg.resize(a, 480, 360);
    expect([big.width, big.height, big.classes.length]).toEqual([480, 360, 480 * 360]);
    // road covers the lower middle of a CamVid frame
    const bottom = a.classes[(height - 5) * width + (width >> 1)];
    expect(a.classTable[bottom].name).toBe('Road');
    const viaImage = await seg.segmentImage({ format: 'jpeg', data: readFileSync(s.imagePath) }, 7n);
    expect(Array.from(viaImage.classes)).toEqual(Array.from(a.classes));
  });
});

describe('a model that does not fit its manifest', () => {
  const committed = JSON.parse(readFileSync(defaultManifestPath(), 'utf8'));
  const onnx = join(defaultManifestPath(), '..', committed.onnx);

  function variant(change: (m: any) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'seg-manifest-'));
    copyFileSync(onnx, join(dir, committed.onnx));
    const m = structuredClone(committed);
    change(m);
    writeFileSync(join(dir, 'm.manifest.json'), JSON.stringify(m));
    return join(dir, 'm.manifest.json');
  }

  it('fails with a message naming both files and the mismatch', async () => {
    const cases: [(m: any) => void, RegExp][] = [
      [(m) => (m.input.name = 'pixels'), /input 'pixels' not in the model \(its inputs: image\)/],
      // The committed model takes any size: at 320 wide its logits are 320 wide too.
      [(m) => (m.input.width = 320), /output 'logits' has shape \[1, 11, 192, 320\], manifest says logits \[1, 11, 192, 256\]/],
      [(m) => (m.output.name = 'scores'), /output 'scores' not in the model/],
      [(m) => m.classes.pop(), /manifest says logits \[1, 10, \d+, \d+\] \(10 classes\)/],
      [(m) => (m.output.form = 'classes'), /class indices must be integers/],
      [(m) => (m.output.classesName = 'argmax'), /output 'argmax' \(output\.classesName\) not in the model/],
      [(m) => (m.output.classesName = 'logits'), /output 'logits' is float32, class indices \(output\.classesName\) must be uint8/],
    ];
    for (const [change, message] of cases) {
      const path = variant(change);
      await expect(OnnxSegmenter.load(path)).rejects.toThrow(message);
      await expect(OnnxSegmenter.load(path)).rejects.toThrow(/does not fit its manifest .*m\.manifest\.json/);
    }
  });

  it('says so when a keep-aspect manifest comes with a model of fixed size', async () => {
    const path = variant(() => undefined);
    writeFileSync(join(path, '..', committed.onnx), fixInputShape(readFileSync(onnx), 'image', [1, 3, 192, 256]));
    await expect(OnnxSegmenter.load(path)).rejects.toThrow(/has a fixed size \[1, 3, 192, 256\], but the manifest's resize 'keep-aspect' needs free height and width/);
    expect(() => fixInputShape(readFileSync(onnx), 'pixels', [1, 3, 8, 8])).toThrow(/no graph input 'pixels'/);
  });

  it('says so when the onnx file is missing or is not a model', async () => {
    const missing = variant((m) => (m.onnx = 'nowhere.onnx'));
    await expect(OnnxSegmenter.load(missing)).rejects.toThrow(/onnx file .*nowhere\.onnx does not exist/);
    const garbage = variant((m) => (m.onnx = 'garbage.onnx'));
    writeFileSync(join(garbage, '..', 'garbage.onnx'), 'not a model');
    await expect(OnnxSegmenter.load(garbage)).rejects.toThrow(/cannot load ONNX model .*garbage\.onnx/);
  });
});

describe('a wide camera (KITTI, 397x120)', () => {
  const png = readFileSync(dataPath('kitti-raw', '2011_09_26_drive_0001_sync', 'image_02', 'data', '0000000050.png'));

  it('enters at its own scale (padded to the stride) with keep-aspect, and is squeezed to 256x192 with stretch', async () => {
    const img = await decodeImage({ format: 'png', data: png });
    const kept = await OnnxSegmenter.load(defaultManifestPath(), { threads: 1 });
    const committed = JSON.parse(readFileSync(defaultManifestPath(), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'seg-stretch-'));
    copyFileSync(join(defaultManifestPath(), '..', committed.onnx), join(dir, committed.onnx));
    writeFileSync(join(dir, 'stretch.manifest.json'), JSON.stringify({ ...committed, input: { ...committed.input, resize: 'stretch' } }));
    const stretched = await OnnxSegmenter.load(join(dir, 'stretch.manifest.json'), { threads: 1 });
    try {
      expect(kept.inputPlan(397, 120)).toEqual({ width: 400, height: 128, contentWidth: 397, contentHeight: 120 });
      const a = await kept.segmentRgb(img.rgb, img.width, img.height, 1n);
      const b = await stretched.segmentRgb(img.rgb, img.width, img.height, 1n);
      expect([a.width, a.height, a.classes.length]).toEqual([397, 120, 397 * 120]);
      expect([b.width, b.height]).toEqual([256, 192]);
      // Both see the road ahead at the bottom centre.
      for (const m of [a, b]) expect(m.classTable[m.classes[(m.height - 3) * m.width + (m.width >> 1)]].name).toBe('Road');
      // Asked for another size, the logits of the image's part are resampled.
      const big = await kept.segmentRgb(img.rgb, img.width, img.height, 2n, { outWidth: 794, outHeight: 240 });
      expect([big.width, big.height]).toEqual([794, 240]);
      let same = 0;
      for (let y = 0; y < 120; y++) for (let x = 0; x < 397; x++) same += Number(big.classes[(2 * y) * 794 + 2 * x] === a.classes[y * 397 + x]);
      expect(same / (397 * 120)).toBeGreaterThan(0.95);
      // A CamVid-shaped frame after it is resized to the training shape (a session per size).
      const camvid = await kept.segmentRgb(new Uint8Array(480 * 360 * 3), 480, 360, 3n);
      expect([camvid.width, camvid.height]).toEqual([256, 192]);
      const again = await kept.segmentRgb(img.rgb, img.width, img.height, 4n);
      expect(Array.from(again.classes)).toEqual(Array.from(a.classes));
      // The model's own argmax output (classesName) and the argmax of its logits agree.
      writeFileSync(join(dir, 'logits.manifest.json'), JSON.stringify({ ...committed, output: { ...committed.output, classesName: undefined } }));
      const viaLogits = await OnnxSegmenter.load(join(dir, 'logits.manifest.json'), { threads: 1 });
      try {
        expect(committed.output.classesName).toBe('classes');
        const c = await viaLogits.segmentRgb(img.rgb, img.width, img.height, 5n);
        expect([c.width, c.height]).toEqual([397, 120]);
        expect(Buffer.compare(Buffer.from(c.classes), Buffer.from(a.classes))).toBe(0);
      } finally {
        await viaLogits.dispose();
      }
    } finally {
      await kept.dispose();
      await stretched.dispose();
    }
  });
});
