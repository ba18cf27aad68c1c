import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pose2, Pose3, Quat, Vec3 } from '../../types/geometry.js';
import {
  angleBetweenQuats,
  composePose2,
  composePose3,
  eulerFromQuat,
  interpolatePose3,
  invertPose2,
  invertPose3,
  matrixFromQuat,
  pose2FromPose3,
  pose3FromPose2,
  PoseTrack,
  quatFromEuler,
  quatFromMatrix,
  slerpQuat,
  transformPoint,
  transformPoint2,
  wrapAngle,
} from '../../sensors/pose.js';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const arbVec3 = fc.record({ x: finite(-100, 100), y: finite(-100, 100), z: finite(-100, 100) });
const arbQuat: fc.Arbitrary<Quat> = fc
  .tuple(finite(-1, 1), finite(-1, 1), finite(-1, 1), finite(-1, 1))
  .filter(([x, y, z, w]) => Math.hypot(x, y, z, w) > 0.1)
  .map(([x, y, z, w]) => {
    const n = Math.hypot(x, y, z, w);
    return { x: x / n, y: y / n, z: z / n, w: w / n };
  });
const arbPose3: fc.Arbitrary<Pose3> = fc.record({ position: arbVec3, orientation: arbQuat });
const arbPose2: fc.Arbitrary<Pose2> = fc.record({ x: finite(-100, 100), y: finite(-100, 100), yaw: finite(-Math.PI, Math.PI) });

function expectVecClose(a: Vec3, b: Vec3, tol = 1e-9): void {
  expect(Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z)).toBeLessThan(tol);
}

function expectPoseClose(a: Pose3, b: Pose3, tol = 1e-9): void {
  expectVecClose(a.position, b.position, tol);
  expect(angleBetweenQuats(a.orientation, b.orientation)).toBeLessThan(Math.max(tol, 1e-7));
}

describe('rotations', () => {
  it('follows R = Rz(yaw) Ry(pitch) Rx(roll) with the REP 103 signs', () => {
    // Yaw +90 deg turns the x axis onto y (counter-clockwise seen from above).
    expectVecClose(transformPoint({ position: { x: 0, y: 0, z: 0 }, orientation: quatFromEuler(0, 0, Math.PI / 2) }, { x: 1, y: 0, z: 0 }), { x: 0, y: 1, z: 0 });
    // Pitch +90 deg about y turns x onto -z (nose down).
    expectVecClose(transformPoint({ position: { x: 0, y: 0, z: 0 }, orientation: quatFromEuler(0, Math.PI / 2, 0) }, { x: 1, y: 0, z: 0 }), { x: 0, y: 0, z: -1 });
    // Roll +90 deg about x turns y onto z (left side up).
    expectVecClose(transformPoint({ position: { x: 0, y: 0, z: 0 }, orientation: quatFromEuler(Math.PI / 2, 0, 0) }, { x: 0, y: 1, z: 0 }), { x: 0, y: 0, z: 1 });
    // Order: roll first, then pitch, then yaw.
    const q = quatFromEuler(0.1, 0.2, 0.3);
    const composed = [quatFromEuler(0, 0, 0.3), quatFromEuler(0, 0.2, 0), quatFromEuler(0.1, 0, 0)];
    const p = { x: 0.3, y: -1.2, z: 2 };
    let expected = p;
    for (const r of composed.reverse()) expected = transformPoint({ position: { x: 0, y: 0, z: 0 }, orientation: r }, expected);
    expectVecClose(transformPoint({ position: { x: 0, y: 0, z: 0 }, orientation: q }, p), expected);
  });

  it('round-trips Euler angles away from gimbal lock', () => {
    fc.assert(
      fc.property(finite(-3.1, 3.1), finite(-1.5, 1.5), finite(-3.1, 3.1), (roll, pitch, yaw) => {
        const e = eulerFromQuat(quatFromEuler(roll, pitch, yaw));
        expect(e.roll).toBeCloseTo(roll, 9);
        expect(e.pitch).toBeCloseTo(pitch, 9);
        expect(e.yaw).toBeCloseTo(yaw, 9);
      }),
    );
  });

  it('round-trips quaternion -> matrix -> quaternion (up to sign)', () => {
    fc.assert(
      fc.property(arbQuat, (q) => {
        expect(angleBetweenQuats(quatFromMatrix(matrixFromQuat(q)), q)).toBeLessThan(1e-7);
      }),
    );
  });
});

describe('SE(3)', () => {
  it('composes with the inverse to the identity', () => {
    fc.assert(
      fc.property(arbPose3, (p) => {
        const id = { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };
        expectPoseClose(composePose3(p, invertPose3(p)), id, 1e-9);
        expectPoseClose(composePose3(invertPose3(p), p), id, 1e-9);
      }),
    );
  });

  it('is associative and agrees with transformPoint', () => {
    fc.assert(
      fc.property(arbPose3, arbPose3, arbPose3, arbVec3, (a, b, c, v) => {
        expectPoseClose(composePose3(composePose3(a, b), c), composePose3(a, composePose3(b, c)), 1e-8);
        expectVecClose(transformPoint(composePose3(a, b), v), transformPoint(a, transformPoint(b, v)), 1e-8);
        expectVecClose(transformPoint(invertPose3(a), transformPoint(a, v)), v, 1e-8);
      }),
    );
  });

  it('interpolates: endpoints exact, midpoint halfway in angle and position', () => {
    fc.assert(
      fc.property(arbPose3, arbPose3, (a, b) => {
        expectPoseClose(interpolatePose3(a, b, 0), a, 1e-9);
        expectPoseClose(interpolatePose3(a, b, 1), b, 1e-9);
        const mid = interpolatePose3(a, b, 0.5);
        const total = angleBetweenQuats(a.orientation, b.orientation);
        expect(angleBetweenQuats(a.orientation, mid.orientation)).toBeCloseTo(total / 2, 6);
        expect(angleBetweenQuats(mid.orientation, b.orientation)).toBeCloseTo(total / 2, 6);
        expect(mid.position.x).toBeCloseTo((a.position.x + b.position.x) / 2, 9);
      }),
    );
  });

  it('slerps the short way round and at constant angular rate', () => {
    const a = quatFromEuler(0, 0, 0);
    const b = quatFromEuler(0, 0, 1.2);
    const negB = { x: -b.x, y: -b.y, z: -b.z, w: -b.w };
    for (const t of [0.25, 0.5, 0.75]) {
      expect(eulerFromQuat(slerpQuat(a, b, t)).yaw).toBeCloseTo(1.2 * t, 12);
      // -b is the same rotation: the result must be the same rotation too.
      expect(angleBetweenQuats(slerpQuat(a, negB, t), slerpQuat(a, b, t))).toBeLessThan(1e-9);
    }
  });

  it('takes the heading of a pitched and rolled pose', () => {
    const p: Pose3 = { position: { x: 1, y: 2, z: 3 }, orientation: quatFromEuler(0.2, -0.3, 2.5) };
    const p2 = pose2FromPose3(p);
    expect(p2).toEqual({ x: 1, y: 2, yaw: expect.closeTo(2.5, 12) });
  });
});

describe('SE(2)', () => {
  it('composes with the inverse to the identity and matches the 3D poses', () => {
    fc.assert(
      fc.property(arbPose2, arbPose2, (a, b) => {
        const id = composePose2(a, invertPose2(a));
        expect(Math.hypot(id.x, id.y)).toBeLessThan(1e-9);
        expect(Math.abs(wrapAngle(id.yaw))).toBeLessThan(1e-12);
        const c3 = pose2FromPose3(composePose3(pose3FromPose2(a), pose3FromPose2(b)));
        const c2 = composePose2(a, b);
        expect(c2.x).toBeCloseTo(c3.x, 9);
        expect(c2.y).toBeCloseTo(c3.y, 9);
        expect(Math.abs(wrapAngle(c2.yaw - c3.yaw))).toBeLessThan(1e-9);
        const pt = transformPoint2(a, { x: 1, y: -2 });
        const pt3 = transformPoint(pose3FromPose2(a), { x: 1, y: -2, z: 0 });
        expect(pt.x).toBeCloseTo(pt3.x, 9);
        expect(pt.y).toBeCloseTo(pt3.y, 9);
      }),
    );
  });

  it('wraps angles to (-pi, pi]', () => {
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle(-3 * Math.PI / 2)).toBeCloseTo(Math.PI / 2, 12);
  });
});

describe('PoseTrack', () => {
  const p = (x: number, yaw: number): Pose3 => ({ position: { x, y: 0, z: 0 }, orientation: quatFromEuler(0, 0, yaw) });
  const track = new PoseTrack(
    [
      { timeNs: 1_000_000_000n, pose: p(0, 0) },
      { timeNs: 1_100_000_000n, pose: p(1, 0.2) },
      { timeNs: 1_300_000_000n, pose: p(5, 0.2) },
    ],
    'oxts',
  );

  it('returns samples at their times and interpolates between them', () => {
    expect(track.at(1_100_000_000n).position.x).toBe(1);
    const mid = track.at(1_050_000_000n);
    expect(mid.position.x).toBeCloseTo(0.5, 12);
    expect(eulerFromQuat(mid.orientation).yaw).toBeCloseTo(0.1, 12);
    expect(track.at(1_200_000_000n).position.x).toBeCloseTo(3, 12);
    expect(track.at(1_300_000_000n).position.x).toBe(5);
  });

  it('extrapolates at constant velocity only within the allowed margin', () => {
    // 10 ms before the first pose: 0.1 m behind it, heading -0.02 rad.
    const before = track.at(990_000_000n, 20_000_000n);
    expect(before.position.x).toBeCloseTo(-0.1, 12);
    expect(eulerFromQuat(before.orientation).yaw).toBeCloseTo(-0.02, 12);
    // 50 ms after the last: 1 m further (20 m/s over the last interval).
    expect(track.at(1_350_000_000n, 50_000_000n).position.x).toBeCloseTo(6, 12);
    expect(() => track.at(1_350_000_001n, 50_000_000n)).toThrow(/outside the track's span .* \(extrapolation allowed up to 50000000 ns\)/);
    // A single pose cannot be extrapolated.
    expect(() => new PoseTrack([{ timeNs: 5n, pose: p(0, 0) }]).at(6n, 10n)).toThrow(/outside/);
  });

  it('refuses times outside its span, unsorted input and NaN poses', () => {
    expect(() => track.at(999_999_999n)).toThrow(/oxts: time 999999999 ns is outside the track's span/);
    expect(() => track.at(1_300_000_001n)).toThrow(/outside/);
    expect(() => track.at(NaN as unknown as bigint)).toThrow(/bigint/);
    expect(() => new PoseTrack([{ timeNs: 2n, pose: p(0, 0) }, { timeNs: 1n, pose: p(0, 0) }], 'f.txt')).toThrow(
      /f.txt: pose times must increase strictly, but pose 1/,
    );
    expect(() => new PoseTrack([{ timeNs: 1n, pose: p(NaN, 0) }], 'g.txt')).toThrow(/g.txt: pose 0 has a non-finite value/);
    expect(() => new PoseTrack([], 'h')).toThrow(/at least one pose/);
  });
});
