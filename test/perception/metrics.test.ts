import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from '../../datasets/metrics/segmentation.js';

describe('ConfusionMatrix', () => {
  it('computes IoU, mIoU and pixel accuracy by hand-checked counts, skipping the ignore index', () => {
    // 3 classes, ignore = 3. label/pred pairs:
    // (0,0) x3, (0,1) x1, (1,1) x2, (1,2) x1, (2,2) x1, (3,anything) x2 ignored
    const label = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 2, 3, 3]);
    const pred = Uint8Array.from([0, 0, 0, 1, 1, 1, 2, 2, 0, 2]);
    const cm = new ConfusionMatrix(3, 3);
    cm.add(pred, label);
    expect(cm.total()).toBe(8);
    expect(cm.get(0, 1)).toBe(1);
    // class 0: tp 3, fn 1, fp 0 -> 3/4; class 1: tp 2, fn 1, fp 1 -> 2/4; class 2: tp 1, fn 0, fp 1 -> 1/2
    expect(cm.perClassIoU()).toEqual([0.75, 0.5, 0.5]);
    expect(cm.meanIoU()).toBeCloseTo((0.75 + 0.5 + 0.5) / 3, 12);
    expect(cm.pixelAccuracy()).toBeCloseTo(6 / 8, 12);
    expect(cm.rowNormalised()[1]).toEqual([0, 2 / 3, 1 / 3]);
  });

  it('leaves classes that never occur out of the mean, and merges matrices', () => {
    const a = new ConfusionMatrix(3, null);
    a.add(Uint8Array.from([0, 1]), Uint8Array.from([0, 1]));
    expect(a.perClassIoU()[2]).toBeNaN();
    expect(a.meanIoU()).toBe(1);
    const b = new ConfusionMatrix(3, null);
    b.add(Uint8Array.from([2]), Uint8Array.from([0]));
    a.merge(b);
    expect(a.perClassIoU()).toEqual([0.5, 1, 0]);
    expect(a.format(['Sky', 'Road', 'Car'])).toContain('Road');
  });

  it('rejects mismatched sizes and out-of-range labels with the source named', () => {
    const cm = new ConfusionMatrix(2, null);
    expect(() => cm.add(new Uint8Array(3), new Uint8Array(4), 'x.png')).toThrow(/x\.png: prediction has 3 pixels, label has 4/);
    expect(() => cm.add(Uint8Array.from([0]), Uint8Array.from([5]), 'y.png')).toThrow(/y\.png: pixel 0 has label 5/);
  });
});
