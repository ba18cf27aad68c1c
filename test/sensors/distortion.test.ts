import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distortNormalized,
  monotonicRadiusSquared,
  radialIsMonotonic,
  undistortNormalized,
  type Distortion,
} from '../../sensors/distortion.js';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

// KITTI raw unrectified camera 02 (strong barrel) and a mild pincushion lens with tangential terms.
const barrel: Distortion = [-0.3691481, 0.1968681, 0.001353473, 0.0005677587, -0.06770705];
const pincushion: Distortion = [0.08, 0.01, -0.002, 0.003, 0];

describe('radial-tangential distortion', () => {
  it('matches the plumb_bob formula on a hand-computed point', () => {
    const out = [0, 0];
    distortNormalized(0.3, -0.2, [0.1, 0.01, 0.001, 0.002, 0.0001], out);
    const r2 = 0.13;
    const radial = 1 + 0.1 * r2 + 0.01 * r2 ** 2 + 0.0001 * r2 ** 3;
    expect(out[0]).toBeCloseTo(0.3 * radial + 2 * 0.001 * 0.3 * -0.2 + 0.002 * (r2 + 2 * 0.09), 15);
    expect(out[1]).toBeCloseTo(-0.2 * radial + 0.001 * (r2 + 2 * 0.04) + 2 * 0.002 * 0.3 * -0.2, 15);
  });

  it('is the identity with zero coefficients', () => {
    const out = [0, 0];
    distortNormalized(0.7, -1.3, [0, 0, 0, 0, 0], out);
    expect(out).toEqual([0.7, -1.3]);
    expect(monotonicRadiusSquared([0, 0, 0, 0, 0])).toBe(100);
  });

  for (const [name, d] of [['barrel', barrel], ['pincushion', pincushion]] as const) {
    it(`undistort inverts distort inside the valid radius (${name})`, () => {
      const maxR = Math.sqrt(Math.min(monotonicRadiusSquared(d), 1.5)) * 0.9;
      fc.assert(
        fc.property(finite(0, maxR), finite(-Math.PI, Math.PI), (r, a) => {
          const x = r * Math.cos(a);
          const y = r * Math.sin(a);
          const dist = [0, 0];
          distortNormalized(x, y, d, dist);
          const und = [0, 0];
          expect(undistortNormalized(dist[0], dist[1], d, und)).toBe(true);
          expect(Math.abs(und[0] - x)).toBeLessThan(1e-10);
          expect(Math.abs(und[1] - y)).toBeLessThan(1e-10);
        }),
      );
    });
  }

  it('finds where a barrel model stops being monotonic', () => {
    const r2 = monotonicRadiusSquared(barrel);
    // 1 + 3 k1 r2 + 5 k2 r2^2 + 7 k3 r2^3 crosses zero there.
    expect(radialIsMonotonic(r2 * 0.999, barrel)).toBe(true);
    expect(radialIsMonotonic(r2 * 1.001, barrel)).toBe(false);
    const [k1, k2, , , k3] = barrel;
    expect(1 + 3 * k1 * r2 + 5 * k2 * r2 ** 2 + 7 * k3 * r2 ** 3).toBeCloseTo(0, 9);
    // KITTI's lens covers about +-36 deg horizontally (1392 px at f = 960): well inside the valid radius.
    expect(Math.sqrt(r2)).toBeGreaterThan(Math.tan((40 * Math.PI) / 180));
  });

  it('reports failure for a distorted point no undistorted point maps to', () => {
    // Beyond the fold the barrel model's image radius never gets this large.
    const und = [0, 0];
    expect(undistortNormalized(5, 0, barrel, und)).toBe(false);
  });
});
