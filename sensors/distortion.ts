/**
 * Radial-tangential ("plumb_bob", OpenCV's 5-parameter) lens distortion on normalised image
 * coordinates (x = X/Z, y = Y/Z):
 *
 *   r2 = x² + y², radial = 1 + k1 r2 + k2 r2² + k3 r2³
 *   xd = x radial + 2 p1 x y + p2 (r2 + 2 x²)
 *   yd = y radial + p1 (r2 + 2 y²) + 2 p2 x y
 *
 * Undistortion has no closed form; it is solved with Newton's method, which converges in a few
 * steps wherever the model is invertible (inside the radius where the radial map is monotonic).
 */

/** k1, k2, p1, p2, k3 — the order of OpenCV, ROS and Foxglove's plumb_bob `D`. */
export type Distortion = readonly [number, number, number, number, number];

export function isZeroDistortion(d: Distortion): boolean {
  return d[0] === 0 && d[1] === 0 && d[2] === 0 && d[3] === 0 && d[4] === 0;
}

/** Distorted normalised coordinates of the undistorted (x, y), written into out[0..1]. */
export function distortNormalized(x: number, y: number, d: Distortion, out: Float64Array | number[]): void {
  const [k1, k2, p1, p2, k3] = d;
  const x2 = x * x;
  const y2 = y * y;
  const xy = x * y;
  const r2 = x2 + y2;
  const radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
  out[0] = x * radial + 2 * p1 * xy + p2 * (r2 + 2 * x2);
  out[1] = y * radial + p1 * (r2 + 2 * y2) + 2 * p2 * xy;
}

/**
 * Whether the radial part still grows with the radius at r2 (d(r·radial)/dr > 0). Beyond the
 * first radius where it stops growing, a strongly barrel-distorted model folds back and maps
 * points far outside the field of view into the image; projecting them would be wrong.
 */
export function radialIsMonotonic(r2: number, d: Distortion): boolean {
  const [k1, k2, , , k3] = d;
  return 1 + r2 * (3 * k1 + r2 * (5 * k2 + r2 * 7 * k3)) > 0;
}

/**
 * Largest radius² up to `limitR2` below which the radial map is monotonic (a scan in steps of
 * limitR2/2000, then bisection). Zero distortion gives limitR2.
 */
export function monotonicRadiusSquared(d: Distortion, limitR2 = 100): number {
  const steps = 2000;
  let prev = 0;
  for (let i = 1; i <= steps; i++) {
    const r2 = (limitR2 * i) / steps;
    if (!radialIsMonotonic(r2, d)) {
      let lo = prev;
      let hi = r2;
      for (let k = 0; k < 60; k++) {
        const mid = (lo + hi) / 2;
        if (radialIsMonotonic(mid, d)) lo = mid;
        else hi = mid;
      }
      return lo;
    }
    prev = r2;
  }
  return limitR2;
}

const scratch = new Float64Array(2);

/**
 * Undistorted normalised coordinates of the distorted (xd, yd), written into out[0..1].
 * Newton's method on f(x, y) = distort(x, y) - (xd, yd) with the analytic Jacobian, starting
 * at the distorted point itself. Returns false if it did not converge (out then holds the
 * last iterate).
 */
export function undistortNormalized(
  xd: number,
  yd: number,
  d: Distortion,
  out: Float64Array | number[],
  maxIterations = 20,
  tolerance = 1e-12,
): boolean {
  const [k1, k2, p1, p2, k3] = d;
  let x = xd;
  let y = yd;
  for (let i = 0; i < maxIterations; i++) {
    distortNormalized(x, y, d, scratch);
    const ex = scratch[0] - xd;
    const ey = scratch[1] - yd;
    if (ex * ex + ey * ey < tolerance * tolerance) {
      out[0] = x;
      out[1] = y;
      return true;
    }
    const r2 = x * x + y * y;
    const radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
    // d(radial)/d(r2)
    const dRadial = k1 + r2 * (2 * k2 + r2 * 3 * k3);
    const j00 = radial + 2 * x * x * dRadial + 2 * p1 * y + 6 * p2 * x;
    const j01 = 2 * x * y * dRadial + 2 * p1 * x + 2 * p2 * y;
    const j10 = 2 * x * y * dRadial + 2 * p1 * x + 2 * p2 * y;
    const j11 = radial + 2 * y * y * dRadial + 6 * p1 * y + 2 * p2 * x;
    const det = j00 * j11 - j01 * j10;
    if (!(Math.abs(det) > 1e-15)) break;
    x -= (j11 * ex - j01 * ey) / det;
    y -= (-j10 * ex + j00 * ey) / det;
  }
  out[0] = x;
  out[1] = y;
  distortNormalized(x, y, d, scratch);
  const ex = scratch[0] - xd;
  const ey = scratch[1] - yd;
  return ex * ex + ey * ey < 1e-16;
}
