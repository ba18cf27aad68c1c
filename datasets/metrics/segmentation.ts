/**
 * Semantic segmentation metrics from a confusion matrix: per-class IoU, mean IoU, pixel
 * accuracy. Rows are ground truth, columns predictions; pixels whose label is the ignore index
 * (CamVid void) are not counted.
 */
export class ConfusionMatrix {
  /** counts[label * n + pred] */
  readonly counts: Float64Array;

  constructor(
    readonly numClasses: number,
    readonly ignoreIndex: number | null = null,
  ) {
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds one prediction/label pair of equal size. A label outside 0..n-1 (not ignored) throws. */
  add(pred: Uint8Array, label: Uint8Array, source = 'label'): void {
    if (pred.length !== label.length) throw new Error(`${source}: prediction has ${pred.length} pixels, label has ${label.length}`);
    const n = this.numClasses;
    const ign = this.ignoreIndex ?? -1;
    const counts = this.counts;
    for (let i = 0; i < label.length; i++) {
      const l = label[i];
      if (l === ign) continue;
      const p = pred[i];
      if (l >= n) throw new Error(`${source}: pixel ${i} has label ${l}, outside 0..${n - 1}`);
      if (p >= n) throw new Error(`${source}: pixel ${i} has prediction ${p}, outside 0..${n - 1}`);
      counts[l * n + p]++;
    }
  }

  merge(other: ConfusionMatrix): void {
    if (other.numClasses !== this.numClasses) throw new Error('cannot merge confusion matrices of different sizes');
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
  }

  get(label: number, pred: number): number {
    return this.counts[label * this.numClasses + pred];
  }

  total(): number {
    let t = 0;
    for (const c of this.counts) t += c;
    return t;
  }

  /** IoU = TP / (TP + FP + FN) per class; NaN for a class absent from both labels and predictions. */
  perClassIoU(): number[] {
    const n = this.numClasses;
    const out: number[] = [];
    for (let c = 0; c < n; c++) {
      let row = 0;
      let col = 0;
      for (let k = 0; k < n; k++) {
        row += this.get(c, k);
        col += this.get(k, c);
      }
      const tp = this.get(c, c);
      const union = row + col - tp;
      out.push(union > 0 ? tp / union : NaN);
    }
    return out;
  }

  /** Mean of the per-class IoUs, skipping classes that never occur (NaN). */
  meanIoU(): number {
    const v = this.perClassIoU().filter((x) => !Number.isNaN(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  }

  pixelAccuracy(): number {
    let tp = 0;
    for (let c = 0; c < this.numClasses; c++) tp += this.get(c, c);
    const t = this.total();
    return t > 0 ? tp / t : NaN;
  }

  /** Fraction of each label row predicted as each class (rows sum to 1; empty rows are 0). */
  rowNormalised(): number[][] {
    const n = this.numClasses;
    return Array.from({ length: n }, (_, r) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += this.get(r, k);
      return Array.from({ length: n }, (_, k) => (s > 0 ? this.get(r, k) / s : 0));
    });
  }

  /** A text table of row-normalised percentages, rows = label, columns = prediction. */
  format(names: string[]): string {
    const short = names.map((s) => s.slice(0, 6).padStart(6));
    const lines = [`${'label\\pred'.padEnd(11)}${short.join(' ')}`];
    this.rowNormalised().forEach((row, r) => {
      lines.push(`${names[r].slice(0, 10).padEnd(11)}${row.map((v) => (v * 100).toFixed(1).padStart(6)).join(' ')}`);
    });
    return lines.join('\n');
  }
}
