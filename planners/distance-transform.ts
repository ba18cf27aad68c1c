/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, "Distance Transforms of
 * Sampled Functions", 2012): the lower envelope of parabolas along columns, then rows.
 * Scratch buffers are kept and reused for grids of the same or smaller size.
 */
const INF = 1e20;

export class DistanceTransform {
  private f = new Float64Array(0);
  private d = new Float64Array(0);
  private z = new Float64Array(0);
  private v = new Int32Array(0);
  private sq = new Float64Array(0);

  /**
   * Distance in cells from each cell centre to the nearest cell where `isSource` is non-zero
   * (0 on sources; Infinity everywhere when there is none). `out` is reused if given.
   */
  compute(width: number, height: number, isSource: ArrayLike<number>, out?: Float32Array): Float32Array {
    const n = width * height;
    const result = out && out.length === n ? out : new Float32Array(n);
    const m = Math.max(width, height);
    if (this.f.length < m) {
      this.f = new Float64Array(m);
      this.d = new Float64Array(m);
      this.z = new Float64Array(m + 1);
      this.v = new Int32Array(m);
    }
    if (this.sq.length < n) this.sq = new Float64Array(n);
    const sq = this.sq;
    for (let i = 0; i < n; i++) sq[i] = isSource[i] ? 0 : INF;
    // Columns.
    for (let x = 0; x < width; x++) {
      for (let y = 0; y < height; y++) this.f[y] = sq[y * width + x];
      this.transform1d(height);
      for (let y = 0; y < height; y++) sq[y * width + x] = this.d[y];
    }
    // Rows.
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) this.f[x] = sq[row + x];
      this.transform1d(width);
      for (let x = 0; x < width; x++) {
        const d2 = this.d[x];
        result[row + x] = d2 >= INF * 0.5 ? Infinity : Math.sqrt(d2);
      }
    }
    return result;
  }

  /** d[q] = min over p of (q - p)^2 + f[p], for q in [0, n). */
  private transform1d(n: number): void {
    const { f, d, z, v } = this;
    let k = 0;
    v[0] = 0;
    z[0] = -Infinity;
    z[1] = Infinity;
    for (let q = 1; q < n; q++) {
      if (f[q] >= INF) continue; // a parabola at infinity never enters the envelope
      for (;;) {
        const p = v[k];
        if (f[p] >= INF) {
          // The envelope so far is only the infinite placeholder: replace it.
          v[k] = q;
          z[k + 1] = Infinity;
          if (k === 0) z[0] = -Infinity;
          break;
        }
        const s = (f[q] + q * q - (f[p] + p * p)) / (2 * q - 2 * p);
        if (s <= z[k]) {
          if (k === 0) {
            v[0] = q;
            z[0] = -Infinity;
            z[1] = Infinity;
            break;
          }
          k--;
          continue;
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = Infinity;
        break;
      }
    }
    k = 0;
    for (let q = 0; q < n; q++) {
      while (z[k + 1] < q) k++;
      const p = v[k];
      d[q] = f[p] >= INF ? INF : (q - p) * (q - p) + f[p];
    }
  }
}
