import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VEHICLE, Footprint, HybridAStar, buildCostmap, planPath, smoothPath, speedProfile, wrapAngle,
} from '../../planners/index.js';
import type { OccupancyGrid, Pose2 } from '../../types/index.js';

const RES = 0.2;

/** A 400 x 400 (80 m) grid, free except for the given boxes [x0, y0, x1, y1] in metres. */
function world(boxes: [number, number, number, number][], size = 400, origin: Pose2 = { x: 0, y: 0, yaw: 0 }): OccupancyGrid {
  const lo = new Float32Array(size * size).fill(-2);
  for (const [x0, y0, x1, y1] of boxes) {
    for (let y = Math.floor(y0 / RES); y < Math.ceil(y1 / RES); y++) {
      for (let x = Math.floor(x0 / RES); x < Math.ceil(x1 / RES); x++) if (x >= 0 && y >= 0 && x < size && y < size) lo[y * size + x] = 3;
    }
  }
  return { timeNs: 42n, frameId: 'world', origin, resolution: RES, width: size, height: size, logOdds: lo };
}

// A wall across the map at y in [38, 42] with a 6 m gap at x in [37, 43].
const gapWall: [number, number, number, number][] = [[0, 38, 37, 42], [43, 38, 80, 42]];

function expectCollisionFree(grid: OccupancyGrid, poses: { x: number; y: number; yaw: number }[]): void {
  const map = buildCostmap(grid);
  const fp = new Footprint(DEFAULT_VEHICLE, 0); // the planner plans with a margin; check without
  for (const p of poses) expect(fp.collides(map, p.x - grid.origin.x, p.y - grid.origin.y, p.yaw), JSON.stringify(p)).toBe(false);
}

describe('planPath (Hybrid A*)', () => {
  it('plans through a gap: collision-free, from the start exactly to the goal, with times and speeds', () => {
    const grid = world(gapWall);
    const start = { x: 20, y: 20, yaw: 0 };
    const goal = { x: 60, y: 60, yaw: Math.PI / 2 };
    const plan = planPath(grid, start, goal, { timeLimitMs: 5000 });
    expect(plan.status, plan.reason).toBe('ok');
    expect(plan.frameId).toBe('world');
    expect(plan.timeNs).toBe(42n);
    expect(plan.expansions).toBeGreaterThan(0);
    const first = plan.poses[0];
    const last = plan.poses[plan.poses.length - 1];
    expect([first.x, first.y, first.yaw]).toEqual([20, 20, 0]);
    expect(last.x).toBeCloseTo(60, 6);
    expect(last.y).toBeCloseTo(60, 6);
    expect(wrapAngle(last.yaw - Math.PI / 2)).toBeCloseTo(0, 6);
    expectCollisionFree(grid, plan.poses);
    // Passes through the gap, so it is longer than the straight line.
    let length = 0;
    for (let i = 1; i < plan.poses.length; i++) length += Math.hypot(plan.poses[i].x - plan.poses[i - 1].x, plan.poses[i].y - plan.poses[i - 1].y);
    expect(length).toBeGreaterThan(Math.hypot(40, 40));
    // Time increases, starts and ends at rest, never exceeds the default limits.
    expect(first.v).toBe(0);
    expect(last.v).toBe(0);
    for (let i = 1; i < plan.poses.length; i++) expect(plan.poses[i].t).toBeGreaterThan(plan.poses[i - 1].t);
    for (const p of plan.poses) expect(Math.abs(p.v)).toBeLessThanOrEqual(8 + 1e-9);
    expect(plan.cost).toBeGreaterThanOrEqual(length * 0.99);
  });

  it('works in a rotated and shifted grid frame', () => {
    const origin = { x: -100, y: 50, yaw: 0.7 };
    const grid = world(gapWall, 400, origin);
    const c = Math.cos(origin.yaw);
    const s = Math.sin(origin.yaw);
    const toWorld = (p: Pose2): Pose2 => ({ x: origin.x + c * p.x - s * p.y, y: origin.y + s * p.x + c * p.y, yaw: p.yaw + origin.yaw });
    const plan = planPath(grid, toWorld({ x: 20, y: 20, yaw: 0 }), toWorld({ x: 60, y: 60, yaw: 1.5 }), { timeLimitMs: 5000 });
    expect(plan.status, plan.reason).toBe('ok');
    const last = plan.poses[plan.poses.length - 1];
    const goal = toWorld({ x: 60, y: 60, yaw: 1.5 });
    expect(Math.hypot(last.x - goal.x, last.y - goal.y)).toBeLessThan(1e-6);
    // Back in grid coordinates, every pose is free.
    const local = plan.poses.map((p) => {
      const dx = p.x - origin.x;
      const dy = p.y - origin.y;
      return { x: c * dx + s * dy, y: -s * dx + c * dy, yaw: p.yaw - origin.yaw };
    });
    expectCollisionFree(world(gapWall), local);
  });

  it('reverses when the goal lies behind in a dead end', () => {
    // A 4 m wide dead-end corridor along +x; the car faces into it, the goal is behind it.
    const grid = world([[10, 30, 40, 37.4], [10, 42.6, 40, 50], [38, 30, 40, 50]]);
    const plan = planPath(grid, { x: 30, y: 40, yaw: 0 }, { x: 16, y: 40, yaw: 0 }, { timeLimitMs: 5000 });
    expect(plan.status, plan.reason).toBe('ok');
    expect(plan.poses.some((p) => p.v < 0)).toBe(true);
    expectCollisionFree(grid, plan.poses);
  });

  it('returns start_in_collision, goal_in_collision and no_path', () => {
    const grid = world([...gapWall, [36, 36, 44, 37.5]]); // the gap is sealed below
    expect(planPath(grid, { x: 20, y: 40, yaw: 0 }, { x: 60, y: 60, yaw: 0 }).status).toBe('start_in_collision');
    expect(planPath(grid, { x: 20, y: 20, yaw: 0 }, { x: 50, y: 40, yaw: 0 }).status).toBe('goal_in_collision');
    const sealed = planPath(grid, { x: 20, y: 20, yaw: 0 }, { x: 60, y: 60, yaw: 0 });
    expect(sealed.status).toBe('no_path');
    expect(sealed.reason).toMatch(/no corridor/);
  });

  it('returns invalid_input for NaN, a goal outside the map and a zero-size map', () => {
    const grid = world([]);
    const nan = planPath(grid, { x: NaN, y: 1, yaw: 0 }, { x: 10, y: 10, yaw: 0 });
    expect(nan.status).toBe('invalid_input');
    expect(nan.reason).toMatch(/start pose is not finite/);
    const outside = planPath(grid, { x: 10, y: 10, yaw: 0 }, { x: 100, y: 10, yaw: 0 });
    expect(outside.status).toBe('invalid_input');
    expect(outside.reason).toMatch(/goal .* outside the 80\.0 m x 80\.0 m grid/);
    const empty = planPath({ ...grid, width: 0, height: 0, logOdds: new Float32Array(0) }, { x: 0, y: 0, yaw: 0 }, { x: 0, y: 0, yaw: 0 });
    expect(empty.status).toBe('invalid_input');
    expect(planPath({ ...grid, logOdds: new Float32Array(3) }, { x: 1, y: 1, yaw: 0 }, { x: 2, y: 2, yaw: 0 }).status).toBe('invalid_input');
  });

  it('honours a tiny expansion cap and a tiny time cap: status timeout, and it returns', () => {
    const grid = world(gapWall);
    const a = planPath(grid, { x: 20, y: 20, yaw: 0 }, { x: 60, y: 60, yaw: Math.PI / 2 }, { maxExpansions: 5 });
    expect(a.status).toBe('timeout');
    expect(a.expansions).toBeLessThanOrEqual(6);
    expect(a.reason).toMatch(/expansion cap of 5/);
    // A zero time cap: the heuristic's Dijkstra or the search must notice it, whichever runs.
    const b = planPath(grid, { x: 20, y: 20, yaw: 0 }, { x: 60, y: 60, yaw: Math.PI / 2 }, { timeLimitMs: 0 });
    expect(b.status).toBe('timeout');
    expect(b.reason).toMatch(/time cap/);
  });

  it('past coarseAfter expansions the coarse lattice takes turns with the fine one: paths stay valid, caps hold over both', () => {
    const grid = world(gapWall);
    const start = { x: 20, y: 20, yaw: 0 };
    const goal = { x: 60, y: 60, yaw: Math.PI / 2 };
    const plan = planPath(grid, start, goal, { timeLimitMs: 5000, coarseAfter: 1 });
    expect(plan.status, plan.reason).toBe('ok');
    const last = plan.poses[plan.poses.length - 1];
    expect(Math.hypot(last.x - goal.x, last.y - goal.y)).toBeLessThan(1e-6);
    expectCollisionFree(grid, plan.poses);
    // Rooms joined by a 2.6 m corridor with a right-angle bend: the 2D heuristic passes it, the
    // car cannot. Both lattices are exhausted and their expansions add up.
    const rooms: OccupancyGrid = { ...world([]), logOdds: new Float32Array(400 * 400).fill(3) };
    for (const [x0, y0, x1, y1] of [[10, 10, 22, 22], [22, 15, 40, 17.6], [37.4, 15, 40, 40], [32, 40, 46, 52]]) {
      for (let y = y0 / RES; y < y1 / RES; y++) for (let x = x0 / RES; x < x1 / RES; x++) rooms.logOdds[y * 400 + x] = -2;
    }
    const a = { x: 14, y: 16, yaw: 0 };
    const b = { x: 39, y: 46, yaw: Math.PI / 2 };
    const fineOnly = planPath(rooms, a, b, { timeLimitMs: 20_000, coarseAfter: Infinity });
    expect(fineOnly.status).toBe('no_path');
    const both = planPath(rooms, a, b, { timeLimitMs: 20_000, coarseAfter: 1 });
    expect(both.status).toBe('no_path');
    expect(both.expansions).toBeGreaterThan(fineOnly.expansions!);
    const capped = planPath(rooms, a, b, { timeLimitMs: 20_000, coarseAfter: 1, maxExpansions: 1000 });
    expect(capped.status).toBe('timeout');
    expect(capped.expansions).toBeLessThanOrEqual(1001);
    expect(capped.reason).toMatch(/expansion cap of 1000 reached \(fine and coarse lattices together\)/);
  });

  it('the time cap holds with an expensive heuristic (a fine heuristic grid on a large map)', () => {
    const size = 1500; // 300 m at 0.2 m: a 2.25M-cell Dijkstra at full resolution
    const lo = new Float32Array(size * size).fill(-2);
    const grid: OccupancyGrid = { timeNs: 0n, frameId: 'world', origin: { x: 0, y: 0, yaw: 0 }, resolution: RES, width: size, height: size, logOdds: lo };
    const plan = planPath(grid, { x: 10, y: 10, yaw: 0 }, { x: 290, y: 290, yaw: 0 }, { timeLimitMs: 1, heuristicCell: RES });
    expect(plan.status).toBe('timeout');
  });
});

describe('HybridAStar search', () => {
  it('forward-only search never reverses', () => {
    const grid = world(gapWall);
    const map = buildCostmap(grid);
    const planner = new HybridAStar(map, new Footprint(DEFAULT_VEHICLE));
    const r = planner.plan({ x: 20, y: 20, yaw: 0 }, { x: 60, y: 60, yaw: 0 }, { allowReverse: false, timeLimitMs: 5000 });
    expect(r.status, r.reason).toBe('ok');
    for (let i = 0; i < r.count; i++) expect(r.directions[i]).toBe(1);
  });
});

describe('smoothPath', () => {
  it('keeps the ends and never loses clearance the raw path had', () => {
    const grid = world(gapWall);
    const map = buildCostmap(grid);
    const fp = new Footprint(DEFAULT_VEHICLE);
    const r = new HybridAStar(map, fp).plan({ x: 20, y: 20, yaw: 0 }, { x: 60, y: 60, yaw: 1 }, { timeLimitMs: 5000 });
    expect(r.status).toBe('ok');
    const s = smoothPath(map, fp, r);
    expect(s.count).toBe(r.count);
    for (const k of [0, 1, 2]) {
      expect(s.poses[k]).toBe(r.poses[k]);
      expect(s.poses[3 * (s.count - 1) + k]).toBe(r.poses[3 * (r.count - 1) + k]);
    }
    let moved = 0;
    for (let i = 0; i < s.count; i++) {
      const before = fp.margin(map, r.poses[3 * i], r.poses[3 * i + 1], r.poses[3 * i + 2]);
      const after = fp.margin(map, s.poses[3 * i], s.poses[3 * i + 1], s.poses[3 * i + 2]);
      expect(after).toBeGreaterThanOrEqual(Math.min(before, 0.5) - 1e-9);
      if (Math.hypot(s.poses[3 * i] - r.poses[3 * i], s.poses[3 * i + 1] - r.poses[3 * i + 1]) > 1e-6) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });
});

describe('speedProfile', () => {
  it('respects acceleration, deceleration and lateral acceleration, stopping at cusps', () => {
    // 20 m straight forward, then 10 m on a 5 m radius left arc, then 5 m straight in reverse.
    const pts: number[] = [];
    const dirs: number[] = [];
    for (let i = 0; i <= 100; i++) { pts.push(i * 0.2, 0, 0); dirs.push(1); }
    for (let i = 1; i <= 50; i++) { const a = (i * 0.2) / 5; pts.push(20 + 5 * Math.sin(a), 5 - 5 * Math.cos(a), a); dirs.push(1); }
    const last = pts.length - 3;
    for (let i = 1; i <= 25; i++) { const a = pts[last + 2]; pts.push(pts[last] - i * 0.2 * Math.cos(a), pts[last + 1] - i * 0.2 * Math.sin(a), a); dirs.push(-1); }
    const path = { poses: Float64Array.from(pts), directions: Int8Array.from(dirs), count: dirs.length };
    const lim = { maxSpeed: 6, maxReverseSpeed: 1.5, maxAccel: 1, maxDecel: 2, maxLateralAccel: 1.5 };
    const traj = speedProfile(path, lim);
    expect(traj).toHaveLength(path.count);
    expect(traj[0].v).toBe(0);
    expect(traj[traj.length - 1].v).toBe(0);
    expect(traj[150].v).toBe(0); // the cusp
    for (let i = 1; i < traj.length; i++) {
      const a = traj[i - 1];
      const b = traj[i];
      const ds = Math.hypot(b.x - a.x, b.y - a.y);
      const dv2 = b.v * b.v - a.v * a.v;
      expect(dv2).toBeLessThanOrEqual(2 * lim.maxAccel * ds + 1e-9);
      expect(-dv2).toBeLessThanOrEqual(2 * lim.maxDecel * ds + 1e-9);
      expect(b.t).toBeGreaterThanOrEqual(a.t);
    }
    for (let i = 102; i < 150; i++) expect(traj[i].v * traj[i].v / 5).toBeLessThanOrEqual(lim.maxLateralAccel + 1e-6);
    for (let i = 151; i < traj.length - 1; i++) {
      expect(traj[i].v).toBeLessThan(0);
      expect(traj[i].v).toBeGreaterThanOrEqual(-1.5);
    }
    expect(Math.max(...traj.map((p) => p.v))).toBeLessThanOrEqual(6);
    expect(() => speedProfile(path, { maxAccel: 0 })).toThrow(/must be positive/);
  });
});

describe('HybridAStar instances', () => {
  it('two planners on same-size maps used in turn each keep their own obstacles', () => {
    const open = new HybridAStar(buildCostmap(world([])), new Footprint(DEFAULT_VEHICLE));
    const walled = new HybridAStar(buildCostmap(world([[0, 38, 80, 42]])), new Footprint(DEFAULT_VEHICLE));
    const start = { x: 20, y: 20, yaw: Math.PI / 2 };
    const goal = { x: 20, y: 60, yaw: Math.PI / 2 };
    expect(walled.plan(start, goal).status).toBe('no_path');
    expect(open.plan(start, goal).status).toBe('ok');
    expect(walled.plan(start, goal).status).toBe('no_path');
  });
});
