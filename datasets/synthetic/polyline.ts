/**
 * Planar polylines with arc length: road centre lines, lanes, routes and actor paths.
 * Points are stored in flat typed arrays; lookups by arc length are binary searches.
 */
import type { Pose2 } from '../../types/index.js';

export class Polyline {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** Cumulative arc length at each vertex; cum[0] = 0. */
  readonly cum: Float64Array;

  constructor(xs: ArrayLike<number>, ys: ArrayLike<number>) {
    if (xs.length !== ys.length || xs.length < 2) {
      throw new RangeError(`a polyline needs at least 2 points with x and y each (got ${xs.length}, ${ys.length})`);
    }
    this.xs = Float64Array.from(xs);
    this.ys = Float64Array.from(ys);
    this.cum = new Float64Array(xs.length);
    for (let i = 1; i < xs.length; i++) {
      const d = Math.hypot(this.xs[i] - this.xs[i - 1], this.ys[i] - this.ys[i - 1]);
      if (!Number.isFinite(d)) throw new RangeError(`polyline point ${i} is not finite`);
      this.cum[i] = this.cum[i - 1] + d;
    }
  }

  static fromPoints(points: readonly { x: number; y: number }[]): Polyline {
    return new Polyline(
      points.map((p) => p.x),
      points.map((p) => p.y),
    );
  }

  get length(): number {
    return this.cum[this.cum.length - 1];
  }

  get count(): number {
    return this.xs.length;
  }

  /** Index i of the segment [i, i+1] holding arc length s (clamped to the ends). */
  segmentAt(s: number): number {
    const cum = this.cum;
    const n = cum.length;
    if (s <= 0) return 0;
    if (s >= cum[n - 1]) return n - 2;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] <= s) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Pose at arc length s: position linearly interpolated, yaw of the segment (clamped at the ends, extrapolated beyond). */
  poseAt(s: number): Pose2 {
    const i = this.segmentAt(s);
    const x0 = this.xs[i];
    const y0 = this.ys[i];
    const dx = this.xs[i + 1] - x0;
    const dy = this.ys[i + 1] - y0;
    const len = this.cum[i + 1] - this.cum[i];
    const t = len > 0 ? (s - this.cum[i]) / len : 0;
    return { x: x0 + dx * t, y: y0 + dy * t, yaw: Math.atan2(dy, dx) };
  }

  /** Heading with the segment yaws blended near vertices, so a sampled curve turns smoothly. */
  smoothYawAt(s: number, window = 1.0): number {
    const a = this.poseAt(s - window);
    const b = this.poseAt(s + window);
    const ya = a.yaw;
    let yb = b.yaw;
    while (yb - ya > Math.PI) yb -= 2 * Math.PI;
    while (yb - ya < -Math.PI) yb += 2 * Math.PI;
    return (ya + yb) / 2;
  }

  /** Curvature (1/m, positive to the left) estimated over +-window metres. */
  curvatureAt(s: number, window = 2.0): number {
    const a = this.poseAt(s - window);
    const b = this.poseAt(s + window);
    let d = b.yaw - a.yaw;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d < -Math.PI) d += 2 * Math.PI;
    const span = Math.min(s + window, this.length) - Math.max(s - window, 0);
    return span > 0 ? d / span : 0;
  }

  /** A copy moved sideways by `offset` metres (positive = left of the direction of travel). */
  offset(offset: number): Polyline {
    const n = this.count;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Average the normals of the two segments at a vertex (miter without the spike).
      const i0 = Math.max(0, i - 1);
      const i1 = Math.min(n - 1, i + 1);
      let dx = this.xs[i1] - this.xs[i0];
      let dy = this.ys[i1] - this.ys[i0];
      const len = Math.hypot(dx, dy) || 1;
      dx /= len;
      dy /= len;
      xs[i] = this.xs[i] - dy * offset;
      ys[i] = this.ys[i] + dx * offset;
    }
    return new Polyline(xs, ys);
  }

  reversed(): Polyline {
    return new Polyline(Float64Array.from(this.xs).reverse(), Float64Array.from(this.ys).reverse());
  }

  /** Resample at a fixed spacing (the last point is kept). */
  resample(step: number): Polyline {
    const n = Math.max(1, Math.ceil(this.length / step));
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k <= n; k++) {
      const p = this.poseAt((this.length * k) / n);
      xs.push(p.x);
      ys.push(p.y);
    }
    return new Polyline(xs, ys);
  }

  /** Closest point: arc length and signed lateral offset (left positive) of (x, y). */
  project(x: number, y: number): { s: number; lateral: number; distance: number } {
    let best = Infinity;
    let bestS = 0;
    let bestLat = 0;
    for (let i = 0; i + 1 < this.count; i++) {
      const x0 = this.xs[i];
      const y0 = this.ys[i];
      const dx = this.xs[i + 1] - x0;
      const dy = this.ys[i + 1] - y0;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const px = x0 + dx * t - x;
      const py = y0 + dy * t - y;
      const d = Math.hypot(px, py);
      if (d < best) {
        best = d;
        bestS = this.cum[i] + t * Math.sqrt(len2);
        const len = Math.sqrt(len2) || 1;
        bestLat = (dx * (y - y0) - dy * (x - x0)) / len;
      }
    }
    return { s: bestS, lateral: bestLat, distance: best };
  }
}
