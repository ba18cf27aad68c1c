/**
 * Per-stage timing statistics with bounded memory: a log-spaced histogram (2 % wide buckets)
 * per stage, so a drive of any length costs the same few kilobytes. Quantiles are exact to the
 * bucket width.
 */
const MIN_MS = 1e-4;
const GROWTH = 1.02;
const BUCKETS = Math.ceil(Math.log(1e7 / MIN_MS) / Math.log(GROWTH)) + 1;

class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  n = 0;
  sum = 0;
  max = 0;
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const b = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
    this.counts[b]++;
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const target = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= target) return Math.min(this.max, MIN_MS * Math.pow(GROWTH, b));
    }
    return this.max;
  }
}

export interface StageSummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export class StageStats {
  private readonly stages = new Map<string, Histogram>();

  add(timings: Record<string, number>): void {
    for (const [stage, ms] of Object.entries(timings)) {
      let h = this.stages.get(stage);
      if (!h) this.stages.set(stage, (h = new Histogram()));
      h.add(ms);
    }
  }

  summary(): Record<string, StageSummary> {
    const out: Record<string, StageSummary> = {};
    for (const [stage, h] of this.stages) {
      out[stage] = { count: h.n, meanMs: h.n ? h.sum / h.n : NaN, p50Ms: h.quantile(0.5), p95Ms: h.quantile(0.95), maxMs: h.max };
    }
    return out;
  }
}
