import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classTable, defaultManifestPath, loadManifest } from '../../engine/perception/manifest.js';
import { modelInputPlan, modelInputSize } from '../../engine/perception/input-plan.js';

const committed = JSON.parse(readFileSync(defaultManifestPath(), 'utf8'));

function writeVariant(change: (m: any) => void): string {
  const m = structuredClone(committed);
  change(m);
  const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'bad.manifest.json');
  writeFileSync(path, JSON.stringify(m));
  return path;
}

describe('segmentation model manifest', () => {
  it('loads the committed model manifest with CamVid classes and roles', () => {
    const m = loadManifest();
    expect(m.input.layout).toBe('NCHW');
    expect(m.input.colorOrder).toBe('RGB');
    expect(m.output.form).toBe('logits');
    const table = classTable(m);
    expect(table.map((c) => c.name)).toEqual(['Sky', 'Building', 'Pole', 'Road', 'Pavement', 'Tree', 'SignSymbol', 'Fence', 'Car', 'Pedestrian', 'Bicyclist']);
    expect(table.filter((c) => c.role === 'drivable').map((c) => c.name)).toEqual(['Road']);
    expect(table.find((c) => c.name === 'Sky')?.role).toBe('ignore');
    expect(table.find((c) => c.name === 'Car')?.role).toBe('obstacle');
    expect(table.find((c) => c.name === 'Pavement')?.role).toBe('ground');
    expect(m.onnxPath.endsWith('.onnx')).toBe(true);
  });

  it('names the file and the field for each kind of bad manifest', () => {
    const cases: [(m: any) => void, RegExp][] = [
      [(m) => delete m.input.name, /input\.name must be a non-empty string/],
      [(m) => (m.input.mean = [0.5, 0.5]), /input\.mean must be 3 finite numbers/],
      [(m) => (m.input.std = [1, 0, 1]), /input\.std must be 3 finite numbers > 0/],
      [(m) => (m.input.layout = 'NHWC'), /input\.layout must be one of NCHW/],
      [(m) => (m.output.form = 'probabilities'), /output\.form must be one of logits, classes/],
      [(m) => (m.classes[2].role = 'maybe'), /classes\[2\]\.role must be one of drivable, obstacle, ground, ignore/],
      [(m) => (m.classes[1].id = 7), /classes\[1\]\.id must equal its position 1/],
      [(m) => (m.input.width = 0), /input\.width must be a positive integer/],
      [(m) => (m.input.resize = 'letterbox'), /input\.resize must be one of stretch, keep-aspect/],
      [(m) => (m.output.classesName = 7), /output\.classesName must be a non-empty string/],
      [(m) => delete m.input.sizeMultiple, /input\.sizeMultiple must be a positive integer/],
      [(m) => (m.input.width = 250), /input\.width and input\.height must be multiples of input\.sizeMultiple \(16\), got 250x192/],
    ];
    for (const [change, message] of cases) {
      const path = writeVariant(change);
      expect(() => loadManifest(path)).toThrow(message);
      expect(() => loadManifest(path)).toThrow(path);
    }
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    writeFileSync(join(dir, 'x.json'), '{ not json');
    expect(() => loadManifest(join(dir, 'x.json'))).toThrow(/x\.json: cannot read JSON/);
  });

  it('keeps an image\'s aspect ratio at about the model\'s pixel count (keep-aspect), or stretches', () => {
    const { input } = loadManifest();
    expect([input.resize, input.width, input.height, input.sizeMultiple]).toEqual(['keep-aspect', 256, 192, 16]);
    const size = (w: number, h: number) => Object.values(modelInputSize(input, w, h));
    expect(size(480, 360)).toEqual([256, 192]); // CamVid: the training shape
    expect(size(397, 120)).toEqual([416, 128]); // KITTI: 3.3:1, not squeezed to 4:3
    expect(size(1920, 1080)).toEqual([288, 160]);
    expect(size(120, 397)).toEqual([128, 416]);
    expect(size(10000, 10)).toEqual([3072, 16]); // one stride high, and no more pixels than 256x192
    expect(size(9, 9)).toEqual([224, 224]);
    expect(modelInputSize({ ...input, resize: 'stretch' }, 397, 120)).toEqual({ width: 256, height: 192 });
  });

  it('lets an image of about the model\'s pixel count in at its own scale, padded to the stride', () => {
    const { input } = loadManifest();
    expect(modelInputPlan(input, 397, 120)).toEqual({ width: 400, height: 128, contentWidth: 397, contentHeight: 120 });
    expect(modelInputPlan(input, 256, 192)).toEqual({ width: 256, height: 192, contentWidth: 256, contentHeight: 192 });
    expect(modelInputPlan(input, 480, 360)).toEqual({ width: 256, height: 192, contentWidth: 256, contentHeight: 192 }); // 3.5x the pixels: resized
    expect(modelInputPlan(input, 150, 150)).toEqual({ width: 224, height: 224, contentWidth: 224, contentHeight: 224 }); // too small: resized up
    expect(modelInputPlan({ ...input, resize: 'stretch' }, 397, 120)).toEqual({ width: 256, height: 192, contentWidth: 256, contentHeight: 192 });
  });
});
