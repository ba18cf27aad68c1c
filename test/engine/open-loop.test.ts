import { describe, expect, it } from 'vitest';
import { LidarChecks, displacementErrors, pathDeviation, planCrossesOccupied, planCrossesScan, planPositionAt } from '../../engine/replay/open-loop.js';
import { StageStats } from '../../engine/replay/stage-stats.js';
import { GT_OCCUPIED } from '../../engine/occupancy/lidar-ground-truth.js';
import { PoseTrack, identityPose3, pose3FromPose2 } from '../../sensors/pose.js';
import type { OccupancyGrid, Plan, TrajectoryPoint } from '../../types/index.js';

const S = 1_000_000_000n;
// The car drove along +x at 10 m/s for 10 s.
const driven = new PoseTrack(Array.from({ length: 101 }, (_, i) => ({ timeNs: BigInt(i) * (S / 10n), pose: pose3FromPose2({ x: i, y: 0, yaw: 0 }) })));

function plan(points: TrajectoryPoint[], timeNs = 2n * S): Plan {
  return { timeNs, frameId: 'world', status: 'ok', poses: points, cost: 0, planningMs: 1 };
}
const straight = (speed: number, offsetY = 0) =>
  Array.from({ length: 41 }, (_, i) => ({ x: 20 + speed * i * 0.1, y: offsetY, yaw: 0, t: i * 0.1, v: speed }));

describe('open-loop planning metrics', () => {
  it('gives zero error for a plan that is the driven path, and the offset for a shifted one', () => {
    expect(displacementErrors(plan(straight(10)), driven)).toEqual({ ade: 0, fde: 0 });
    const shifted = displacementErrors(plan(straight(10, 1.5)), driven)!;
    expect(shifted.ade).toBeCloseTo(1.5, 9);
    expect(shifted.fde).toBeCloseTo(1.5, 9);
    expect(pathDeviation(plan(straight(10, 1.5)), driven, 4)).toBeCloseTo(1.5, 9);
  });

  it('charges a slower plan along the track and interpolates on the plan timing', () => {
    const slow = displacementErrors(plan(straight(5)), driven, 3, 0.5)!;
    // At t = 3 s the plan is at 35 m, the car at 50 m.
    expect(slow.fde).toBeCloseTo(15, 9);
    expect(slow.ade).toBeCloseTo((2.5 + 5 + 7.5 + 10 + 12.5 + 15) / 6, 9);
    expect(planPositionAt(straight(5), 0.25).x).toBeCloseTo(21.25, 9);
    // Geometry alone: on the driven line.
    expect(pathDeviation(plan(straight(5)), driven, 4)).toBeCloseTo(0, 9);
  });

  it('is undefined where the drive does not last the horizon, or the plan failed', () => {
    expect(displacementErrors(plan(straight(10), 8n * S), driven)).toBeUndefined();
    expect(displacementErrors({ ...plan(straight(10)), status: 'no_path', poses: [] }, driven)).toBeUndefined();
  });

  it('finds a plan crossing an occupied truth cell between its points', () => {
    const grid: OccupancyGrid = { timeNs: 0n, frameId: 'world', origin: { x: 0, y: -10, yaw: 0 }, resolution: 0.2, width: 400, height: 100, logOdds: new Float32Array(40000) };
    const truth = new Uint8Array(40000);
    const sparse = [
      { x: 20, y: 0, yaw: 0, t: 0, v: 10 },
      { x: 30, y: 0, yaw: 0, t: 1, v: 10 },
    ];
    expect(planCrossesOccupied(plan(sparse), grid, truth)).toBe(false);
    truth[50 * 400 + 125] = GT_OCCUPIED; // cell at x 25.0..25.2, y 0..0.2
    expect(planCrossesOccupied(plan(sparse), grid, truth)).toBe(true);
  });

  it('checks a plan against a lidar scan: through a wall it crosses, beside it it does not', () => {
    // A sensor 1.7 m above flat ground, a wall 10 m ahead across |y| < 2.
    const pts: number[] = [];
    for (let r = 3; r < 25; r += 0.25) for (let a = -Math.PI; a < Math.PI; a += 0.01) pts.push(r * Math.cos(a), r * Math.sin(a), -1.7, 0.1);
    for (let y = -2; y <= 2; y += 0.05) for (let z = -1.6; z < 0.5; z += 0.1) pts.push(10.05, y, z, 0.5);
    const scan = Float32Array.from(pts);
    const line = (y: number) => [
      { x: 2, y, yaw: 0, t: 0, v: 5 },
      { x: 15, y, yaw: 0, t: 2.6, v: 5 },
    ];
    const grid = { origin: { x: -40, y: -40, yaw: 0 }, resolution: 0.2, width: 400, height: 400 };
    const check = (y: number) => planCrossesScan(scan, { plan: plan(line(y)), grid, lidarToVehicle: identityPose3(), vehicleToWorld: identityPose3(), groundZ: -1.7 });
    expect(check(0)).toBe(true);
    expect(check(5)).toBe(false);

    // Counted where the scans are written; a scan without road to fit a plane to is a failed
    // check with its reason, not an exception that would end the replay.
    const checks = new LidarChecks();
    const c = { plan: plan(line(0)), grid, lidarToVehicle: identityPose3(), vehicleToWorld: identityPose3(), groundZ: -1.7 };
    checks.add(scan, c, 'scan A');
    checks.add(scan, undefined, 'scan B');
    checks.add(Float32Array.from([10, 0, 0, 0.5, 10, 1, 0, 0.5]), c, 'scan C');
    expect(checks.counts).toEqual({ checked: 1, crossing: 1, failed: { count: 1, examples: [expect.stringMatching(/^scan C: .*road height/)] } });
  });
});

describe('stage statistics', () => {
  it('gives quantiles within the 2 % bucket width and keeps counts', () => {
    const s = new StageStats();
    for (let i = 1; i <= 1000; i++) s.add({ decode: i / 10, model: 20 });
    const sum = s.summary();
    expect(sum.decode.count).toBe(1000);
    expect(sum.decode.p50Ms).toBeGreaterThan(50 * 0.98);
    expect(sum.decode.p50Ms).toBeLessThan(50 * 1.02);
    expect(sum.decode.p95Ms).toBeGreaterThan(95 * 0.98);
    expect(sum.decode.p95Ms).toBeLessThan(95 * 1.02);
    expect(sum.decode.maxMs).toBe(100);
    expect(sum.model.p50Ms).toBeCloseTo(20, 0);
  });
});
