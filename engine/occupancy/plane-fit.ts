/**
 * Planes z = a x + b y + c through noisy points: least squares, and RANSAC with a least-squares
 * refit. The lidar ground truth fits the road to returns with it (z: height), the stereo check
 * the road's disparity to pixels (z: disparity).
 */
import { seededRandom } from '../../types/random.js';

export interface Plane {
  a: number;
  b: number;
  c: number;
  /** Points the plane was fitted to (after RANSAC: its inliers). */
  inliers: number;
}

/** Least-squares plane through the points idx[0..n) (3x3 normal equations); null when degenerate. */
export function fitPlane(xs: Float64Array, ys: Float64Array, zs: Float64Array, idx: Uint32Array, n: number): Plane | null {
  let sxx = 0, sxy = 0, sx = 0, syy = 0, sy = 0, sxz = 0, syz = 0, sz = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    const x = xs[i], y = ys[i], z = zs[i];
    sxx += x * x; sxy += x * y; sx += x; syy += y * y; sy += y; sxz += x * z; syz += y * z; sz += z;
  }
  // Solve [sxx sxy sx; sxy syy sy; sx sy n] [a b c]^T = [sxz syz sz]^T by Cramer's rule.
  const det = sxx * (syy * n - sy * sy) - sxy * (sxy * n - sy * sx) + sx * (sxy * sy - syy * sx);
  if (Math.abs(det) < 1e-9) return null;
  const a = (sxz * (syy * n - sy * sy) - sxy * (syz * n - sy * sz) + sx * (syz * sy - syy * sz)) / det;
  const b = (sxx * (syz * n - sz * sy) - sxz * (sxy * n - sy * sx) + sx * (sxy * sz - syz * sx)) / det;
  const c = (sxx * (syy * sz - sy * syz) - sxy * (sxy * sz - sy * sxz) + sx * (sxy * syz - syy * sxz)) / det;
  return { a, b, c, inliers: n };
}

export interface RansacPlaneOptions {
  iterations: number;
  /** Largest |z - plane| of an inlier. */
  tolerance: number;
  seed: number;
  /** Hypotheses steeper than this (|(a, b)|) are skipped. */
  maxSlope?: number;
  /**
   * Hypotheses are scored on an even subsample of at most this many candidates (the ranking of
   * planes hardly changes, the cost drops by the subsampling factor); the winner is refitted
   * on all of its inliers.
   */
  scorePoints?: number;
  /** The plane to refit when no hypothesis is valid (without it: null then). */
  initial?: Plane;
}

/**
 * RANSAC over the candidates cand[0..nc): the best hypothesis, refitted by least squares on its
 * inliers among all candidates (their indices go to `inliers`, which holds at least nc).
 * Without a valid hypothesis `initial` is refitted, or null returned; the unrefitted best when
 * the refit is degenerate.
 */
export function ransacPlane(
  xs: Float64Array,
  ys: Float64Array,
  zs: Float64Array,
  cand: Uint32Array,
  nc: number,
  o: RansacPlaneOptions,
  inliers: Uint32Array,
): Plane | null {
  const rand = seededRandom(o.seed);
  const tolerance = o.tolerance;
  const maxSlope = o.maxSlope ?? Infinity;
  let best: Plane | null = o.initial ?? null;
  const sample = new Uint32Array(3);
  const stride = Math.max(1, Math.floor(nc / (o.scorePoints ?? Infinity)));
  const score = new Uint32Array(Math.ceil(nc / stride));
  for (let k = 0, j = 0; k < nc; k += stride) score[j++] = cand[k];
  for (let it = 0; it < o.iterations; it++) {
    for (let k = 0; k < 3; k++) sample[k] = cand[Math.floor(rand() * nc)];
    const p = fitPlane(xs, ys, zs, sample, 3);
    if (!p || Math.hypot(p.a, p.b) > maxSlope) continue;
    const { a, b, c } = p;
    let count = 0;
    for (let k = 0; k < score.length; k++) {
      const i = score[k];
      if (Math.abs(zs[i] - (a * xs[i] + b * ys[i] + c)) < tolerance) count++;
    }
    if (!best || count > best.inliers) best = { a, b, c, inliers: count };
  }
  if (!best) return null;
  let n = 0;
  const { a, b, c } = best;
  for (let k = 0; k < nc; k++) {
    const i = cand[k];
    if (Math.abs(zs[i] - (a * xs[i] + b * ys[i] + c)) < tolerance) inliers[n++] = i;
  }
  return fitPlane(xs, ys, zs, inliers, n) ?? best;
}
