/**
 * A local lattice planner for lane driving in closed loop: smooth candidate curves from the car
 * to the goal and to goals shifted sideways, each cut short where it would touch an occupied
 * cell (grown by the car's half width). It prefers the goal itself, then small shifts, then
 * stopping short of an obstacle: a car that cannot pass slows down behind it instead of
 * swerving across the road. Curves are cubic Hermite splines (continuous heading), their
 * curvature capped by the car's turning radius; unknown cells count as free.
 */
import type { OccupancyGrid, Plan, Pose2, TrajectoryPoint } from '../../types/index.js';
import type { PlanFunction, PlanRequest } from '../planning/planner.js';

export interface LatticePlanOptions {
  /** Obstacle clearance from the path (m): half the car's width plus a margin. */
  inflation: number;
  occupiedAbove: number;
  /** Sideways shifts of the goal tried (m); 0 first. */
  shifts: number[];
  /** Cost per metre of shift against per metre of path lost before an obstacle. */
  shiftWeight: number;
  /** Distance kept before the first blocked point (m). */
  stopMargin: number;
  /** Path near the car that is not checked (the car's own surroundings, m). */
  ignoreNear: number;
  maxCurvature: number;
  cruiseSpeed: number;
  maxLateralAccel: number;
  maxAccel: number;
  stopDecel: number;
}

export const defaultLatticeOptions: LatticePlanOptions = {
  inflation: 1.1,
  occupiedAbove: 0.4,
  shifts: [0, 0.4, -0.4, 0.8, -0.8, 1.2, -1.2],
  shiftWeight: 4,
  stopMargin: 2.5,
  ignoreNear: 1.5,
  maxCurvature: 0.22,
  cruiseSpeed: 8.5,
  maxLateralAccel: 1.8,
  maxAccel: 1.5,
  stopDecel: 2.5,
};

const STEP = 0.25;

export function latticePlanFunction(options: Partial<LatticePlanOptions> = {}): PlanFunction {
  const o = { ...defaultLatticeOptions, ...options };
  return (req: PlanRequest): Plan => {
    const t0 = performance.now();
    const { grid, start, goal } = req;
    const base = { timeNs: req.timeNs, frameId: grid.frameId, goal };
    if (Math.abs(grid.origin.yaw) > 1e-9) {
      return { ...base, status: 'invalid_input', poses: [], cost: Infinity, planningMs: performance.now() - t0, reason: 'the lattice planner needs a world-aligned grid' };
    }
    let best: { xs: number[]; ys: number[]; free: number; cost: number } | undefined;
    let tooTight = 0;
    for (const shift of o.shifts) {
      const end: Pose2 = { x: goal.x - Math.sin(goal.yaw) * shift, y: goal.y + Math.cos(goal.yaw) * shift, yaw: goal.yaw };
      const curve = hermite(start, end);
      if (!curve) {
        tooTight++;
        continue;
      }
      const free = freeLength(grid, curve.xs, curve.ys, o);
      const full = (curve.xs.length - 1) * STEP;
      const usable = Math.max(0, free - o.stopMargin);
      const cost = o.shiftWeight * Math.abs(shift) + (full - usable);
      if (usable >= 1 && (!best || cost < best.cost)) best = { xs: curve.xs, ys: curve.ys, free: usable, cost };
    }
    if (!best) {
      const reason = tooTight === o.shifts.length ? 'the goal needs a tighter turn than the car can make' : 'every candidate is blocked within a few metres';
      return { ...base, status: 'no_path', poses: [], cost: Infinity, planningMs: performance.now() - t0, reason };
    }
    const n = Math.max(2, Math.floor(best.free / STEP) + 1);
    const poses = withSpeeds(best.xs.slice(0, n), best.ys.slice(0, n), req.startSpeed, o);
    return { ...base, status: 'ok', poses, cost: best.cost, planningMs: performance.now() - t0 };
  };
}

/** Cubic Hermite curve from a to b sampled every STEP metres; undefined if too tight to drive. */
function hermite(a: Pose2, b: Pose2): { xs: number[]; ys: number[] } | undefined {
  const chord = Math.hypot(b.x - a.x, b.y - a.y);
  if (chord < 1) return undefined;
  const m = chord;
  const tax = Math.cos(a.yaw) * m;
  const tay = Math.sin(a.yaw) * m;
  const tbx = Math.cos(b.yaw) * m;
  const tby = Math.sin(b.yaw) * m;
  const dense = Math.ceil(chord / 0.05);
  const xs = [a.x];
  const ys = [a.y];
  let px = a.x;
  let py = a.y;
  let carry = 0;
  let prevYaw = a.yaw;
  let turned = 0;
  for (let i = 1; i <= dense; i++) {
    const t = i / dense;
    const t2 = t * t;
    const t3 = t2 * t;
    const h00 = 2 * t3 - 3 * t2 + 1;
    const h10 = t3 - 2 * t2 + t;
    const h01 = -2 * t3 + 3 * t2;
    const h11 = t3 - t2;
    const x = h00 * a.x + h10 * tax + h01 * b.x + h11 * tbx;
    const y = h00 * a.y + h10 * tay + h01 * b.y + h11 * tby;
    const d = Math.hypot(x - px, y - py);
    if (d > 1e-9) {
      const yaw = Math.atan2(y - py, x - px);
      let dy = yaw - prevYaw;
      dy = Math.atan2(Math.sin(dy), Math.cos(dy));
      turned = Math.max(turned, Math.abs(dy) / d);
      prevYaw = yaw;
    }
    carry += d;
    px = x;
    py = y;
    if (carry >= STEP) {
      xs.push(x);
      ys.push(y);
      carry -= STEP;
    }
  }
  // Curvature check on the dense samples. 0.3 1/m is above the car's 0.23 (the tracker rounds a
  // candidate off); 0.45 let the car through two sharp turns where it otherwise stops, but in the
  // 50-scenario set it also led to contact with oncoming traffic, so the stricter value stays.
  if (turned > 0.3) return undefined;
  return { xs, ys };
}

/** Metres along the samples before one comes within `inflation` of an occupied cell. */
function freeLength(grid: OccupancyGrid, xs: number[], ys: number[], o: LatticePlanOptions): number {
  const res = grid.resolution;
  const r = Math.ceil(o.inflation / res);
  const r2 = (o.inflation / res) ** 2;
  for (let i = 0; i < xs.length; i++) {
    if (i * STEP < o.ignoreNear) continue;
    const cx = Math.floor((xs[i] - grid.origin.x) / res);
    const cy = Math.floor((ys[i] - grid.origin.y) / res);
    for (let dy = -r; dy <= r; dy++) {
      const y = cy + dy;
      if (y < 0 || y >= grid.height) continue;
      for (let dx = -r; dx <= r; dx++) {
        const x = cx + dx;
        if (x < 0 || x >= grid.width || dx * dx + dy * dy > r2) continue;
        if (grid.logOdds[y * grid.width + x] > o.occupiedAbove) return i * STEP;
      }
    }
  }
  return (xs.length - 1) * STEP;
}

function withSpeeds(xs: number[], ys: number[], startSpeed: number, o: LatticePlanOptions): TrajectoryPoint[] {
  const m = xs.length;
  const yaw = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const a = Math.max(0, i - 1);
    const b = Math.min(m - 1, i + 1);
    yaw[i] = Math.atan2(ys[b] - ys[a], xs[b] - xs[a]);
  }
  const v = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const a = Math.max(0, i - 4);
    const b = Math.min(m - 1, i + 4);
    let d = yaw[b] - yaw[a];
    d = Math.atan2(Math.sin(d), Math.cos(d));
    const k = b > a ? Math.abs(d) / ((b - a) * STEP) : 0;
    v[i] = Math.min(o.cruiseSpeed, k > 1e-6 ? Math.sqrt(o.maxLateralAccel / k) : Infinity);
  }
  v[0] = Math.min(v[0], Math.max(0, startSpeed));
  for (let i = 1; i < m; i++) v[i] = Math.min(v[i], Math.sqrt(v[i - 1] ** 2 + 2 * o.maxAccel * STEP));
  v[m - 1] = 0;
  for (let i = m - 2; i >= 0; i--) v[i] = Math.min(v[i], Math.sqrt(v[i + 1] ** 2 + 2 * o.stopDecel * STEP));
  const out: TrajectoryPoint[] = [];
  let t = 0;
  for (let i = 0; i < m; i++) {
    if (i > 0) t += (2 * STEP) / Math.max(0.2, v[i] + v[i - 1]);
    out.push({ x: xs[i], y: ys[i], yaw: yaw[i], t, v: v[i] });
  }
  return out;
}
