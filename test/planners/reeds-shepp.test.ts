import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dubins, dubinsPaths, driveSegment, pathEnd, reedsShepp, reedsSheppDistance, reedsSheppPaths, samplePath, wrapAngle,
  type CurvePath, type SegmentKind,
} from '../../planners/index.js';
import type { Pose2 } from '../../types/index.js';

// Poses on a 0.1 mm / 0.1 mrad grid: offsets of 1e-300 m are not manoeuvres, and near them the
// closed forms are only as exact as the rounding of their inputs.
const q = (v: number) => Math.round(v * 1e4) / 1e4;
const poseArb = fc
  .record({
    x: fc.double({ min: -30, max: 30, noNaN: true }),
    y: fc.double({ min: -30, max: 30, noNaN: true }),
    yaw: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  })
  .map((p) => ({ x: q(p.x), y: q(p.y), yaw: q(p.yaw) }));
const radiusArb = fc.double({ min: 0.5, max: 8, noNaN: true });

/** Independent of the closed forms: Euler-integrates the car's kinematics in tiny steps. */
function integrate(start: Pose2, path: CurvePath, ds = 1e-3): Pose2 {
  let { x, y, yaw } = start;
  for (const s of path.segments) {
    const n = Math.ceil(Math.abs(s.length) / ds);
    const h = s.length / n;
    const k = s.kind === 'L' ? 1 / path.radius : s.kind === 'R' ? -1 / path.radius : 0;
    for (let i = 0; i < n; i++) {
      // Midpoint rule.
      const mid = yaw + (k * h) / 2;
      x += h * Math.cos(mid);
      y += h * Math.sin(mid);
      yaw += k * h;
    }
  }
  return { x, y, yaw };
}

function expectAt(p: Pose2, goal: Pose2, tol: number): void {
  expect(Math.hypot(p.x - goal.x, p.y - goal.y)).toBeLessThan(tol);
  expect(Math.abs(wrapAngle(p.yaw - goal.yaw))).toBeLessThan(tol);
}

describe('Reeds-Shepp', () => {
  it('every candidate path ends exactly at the goal (sampled, and integrated independently)', () => {
    fc.assert(
      fc.property(poseArb, poseArb, radiusArb, (s, g, r) => {
        const paths = reedsSheppPaths(s, g, r);
        expect(paths.length).toBeGreaterThan(0);
        for (const p of paths) {
          const sampled = samplePath(s, p, 0.1);
          const k = sampled.count - 1;
          expectAt({ x: sampled.poses[3 * k], y: sampled.poses[3 * k + 1], yaw: sampled.poses[3 * k + 2] }, g, 1e-6);
          expectAt(integrate(s, p), g, 1e-4);
          expect(p.length).toBeCloseTo(p.segments.reduce((a, q) => a + Math.abs(q.length), 0), 9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is never longer than the Dubins path, nor shorter than the straight-line distance', () => {
    fc.assert(
      fc.property(poseArb, poseArb, radiusArb, (s, g, r) => {
        const rs = reedsShepp(s, g, r).length;
        // Compare at the pose the Dubins path really reaches: for goals a rounding error to the
        // side of the start, Reeds-Shepp needs ~4 sqrt(r e) to shift sideways while the Dubins
        // closed form silently ends e off the goal.
        const d = dubins(s, g, r);
        expect(reedsSheppDistance(s, pathEnd(s, d), r)).toBeLessThanOrEqual(d.length + 1e-6);
        expect(rs).toBeGreaterThanOrEqual(Math.hypot(g.x - s.x, g.y - s.y) - 1e-9);
        expect(reedsSheppDistance(s, g, r)).toBeCloseTo(rs, 9);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees on symmetric cases: reversed, mirrored, moved and rotated', () => {
    fc.assert(
      fc.property(poseArb, poseArb, radiusArb, fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), (s, g, r, rot) => {
        const d = reedsSheppDistance(s, g, r);
        expect(reedsSheppDistance(g, s, r)).toBeCloseTo(d, 6);
        const mirror = (p: Pose2): Pose2 => ({ x: p.x, y: -p.y, yaw: -p.yaw });
        expect(reedsSheppDistance(mirror(s), mirror(g), r)).toBeCloseTo(d, 6);
        const c = Math.cos(rot);
        const sn = Math.sin(rot);
        const move = (p: Pose2): Pose2 => ({ x: c * p.x - sn * p.y + 3, y: sn * p.x + c * p.y - 7, yaw: p.yaw + rot });
        expect(reedsSheppDistance(move(s), move(g), r)).toBeCloseTo(d, 6);
        // Scaling the world and the radius together scales the length.
        const scale = (p: Pose2): Pose2 => ({ x: 2 * p.x, y: 2 * p.y, yaw: p.yaw });
        expect(reedsSheppDistance(scale(s), scale(g), 2 * r)).toBeCloseTo(2 * d, 6);
      }),
      { numRuns: 300 },
    );
  });

  it('is no longer than any random drivable path to the same pose (the slow check of optimality)', () => {
    const segArb = fc.record({
      kind: fc.constantFrom<SegmentKind>('L', 'S', 'R'),
      // Segments below a millimetre are rounding noise, not manoeuvres.
      length: fc.oneof(fc.double({ min: -8, max: -1e-3, noNaN: true }), fc.double({ min: 1e-3, max: 8, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(segArb, { minLength: 1, maxLength: 5 }), radiusArb, (segments, r) => {
        const start = { x: 0, y: 0, yaw: 0 };
        let goal: Pose2 = start;
        let length = 0;
        for (const s of segments) {
          goal = driveSegment(goal, s.kind, s.length, r);
          length += Math.abs(s.length);
        }
        expect(reedsSheppDistance(start, goal, r)).toBeLessThanOrEqual(length + 1e-6);
        // Forward-only versions of the same segments bound the Dubins length.
        let fgoal: Pose2 = start;
        let flength = 0;
        for (const s of segments) {
          fgoal = driveSegment(fgoal, s.kind, Math.abs(s.length), r);
          flength += Math.abs(s.length);
        }
        expect(dubins(start, fgoal, r).length).toBeLessThanOrEqual(flength + 1e-6);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the known lengths of simple cases', () => {
    const o = { x: 0, y: 0, yaw: 0 };
    expect(reedsSheppDistance(o, { x: 5, y: 0, yaw: 0 }, 1)).toBeCloseTo(5, 12);
    expect(reedsSheppDistance(o, { x: -5, y: 0, yaw: 0 }, 1)).toBeCloseTo(5, 12);
    // A quarter turn left: one arc of length pi/2 * r.
    expect(reedsSheppDistance(o, { x: 2, y: 2, yaw: Math.PI / 2 }, 2)).toBeCloseTo(Math.PI, 9);
    expect(() => reedsSheppDistance(o, o, 0)).toThrow(/turning radius must be positive/);
  });
});

describe('Dubins', () => {
  it('drives forward only and ends exactly at the goal', () => {
    fc.assert(
      fc.property(poseArb, poseArb, radiusArb, (s, g, r) => {
        for (const p of dubinsPaths(s, g, r)) {
          for (const seg of p.segments) expect(seg.length).toBeGreaterThan(0);
          expectAt(integrate(s, p), g, 1e-4);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a U-turn takes a half circle when the goal is two radii to the side', () => {
    expect(dubins({ x: 0, y: 0, yaw: 0 }, { x: 0, y: 4, yaw: Math.PI }, 2).length).toBeCloseTo(2 * Math.PI, 9);
  });
});
