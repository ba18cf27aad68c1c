/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, "Distance Transforms of
 * Sampled Functions", 2012): the lower envelope of parabolas along columns, then rows.
 * Scratch buffers are kept and reused for grids of the same or smaller size.
 */
const INF = 1e20;
/** Rows (columns) handled together so transposed accesses use whole cache lines. */
const BLOCK = 16;

export class DistanceTransform {
  private f = new Float64Array(0);
  private d = new Float64Array(0);
  private z = new Float64Array(0);
  private v = new Int32Array(0);
  /** Row-pass result, transposed (column-major) so the column pass reads contiguously. */
  private colMajor = new Float64Array(0);
  private block = new Float64Array(0);

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
    if (this.colMajor.length < n) this.colMajor = new Float64Array(n);
    if (this.block.length < BLOCK * m) this.block = new Float64Array(BLOCK * m);
    const cm = this.colMajor;
    const blk = this.block;
    // Rows: on a binary input the 1D distance is the gap to the nearest source on either side,
    // found by two sweeps; squared and stored column-major. Rows go BLOCK at a time so the
    // transposed writes fill whole cache lines (a plain transpose misses on every write).
    for (let y0 = 0; y0 < height; y0 += BLOCK) {
      const rows = Math.min(BLOCK, height - y0);
      for (let r = 0; r < rows; r++) {
        const row = (y0 + r) * width;
        const out = r * width;
        let last = -INF;
        for (let x = 0; x < width; x++) {
          if (isSource[row + x]) last = x;
          const g = x - last;
          blk[out + x] = g >= INF ? INF : g * g;
        }
        last = INF;
        for (let x = width - 1; x >= 0; x--) {
          if (isSource[row + x]) last = x;
          const g = last - x;
          if (g < INF && g * g < blk[out + x]) blk[out + x] = g * g;
        }
      }
      for (let x = 0; x < width; x++) {
        const col = x * height + y0;
        for (let r = 0; r < rows; r++) cm[col + r] = blk[r * width + x];
      }
    }
    // Columns: the exact lower envelope of parabolas, BLOCK columns at a time for the same reason.
    const f = this.f;
    const d = this.d;
    for (let x0 = 0; x0 < width; x0 += BLOCK) {
      const cols = Math.min(BLOCK, width - x0);
      for (let c = 0; c < cols; c++) {
        const col = (x0 + c) * height;
        const out = c * height;
        let any = false;
        for (let y = 0; y < height; y++) {
          const v = cm[col + y];
          f[y] = v;
          if (v < INF) any = true;
        }
        if (!any) {
          for (let y = 0; y < height; y++) blk[out + y] = Infinity;
          continue;
        }
        this.transform1d(height);
        for (let y = 0; y < height; y++) {
          const d2 = d[y];
          blk[out + y] = d2 >= INF ? Infinity : Math.sqrt(d2);
        }
      }
      for (let y = 0; y < height; y++) {
        const row = y * width + x0;
        for (let c = 0; c < cols; c++) result[row + c] = blk[c * height + y];
      }
    }
    return result;
  }

  /** d[q] = min over p of (q - p)^2 + f[p], for q in [0, n); entries of f at INF are skipped. */
  private transform1d(n: number): void {
    const { f, d, z, v } = this;
    let k = -1;
    for (let q = 0; q < n; q++) {
      const fq = f[q];
      if (fq >= INF) continue;
      const base = fq + q * q;
      let s = -Infinity;
      while (k >= 0) {
        const p = v[k];
        s = (base - (f[p] + p * p)) / (2 * (q - p));
        if (s > z[k]) break;
        k--;
      }
      k++;
      v[k] = q;
      z[k] = k === 0 ? -Infinity : s;
    }
    // k >= 0: the caller only runs this when some entry is finite.
    z[k + 1] = Infinity;
    let j = 0;
    for (let q = 0; q < n; q++) {
      while (z[j + 1] < q) j++;
      const p = v[j];
      d[q] = (q - p) * (q - p) + f[p];
    }
  }
}
