/**
 * A plain planner for closed-loop driving until a kinematic one is plugged in: grid A* on the
 * engine's occupancy grid with obstacles grown by the car's half width, the path smoothed and
 * given a speed profile (curvature- and acceleration-limited, stopping at its end).
 * Unknown cells count as free; occupied means log-odds above `occupiedAbove`.
 */
import type { Plan, TrajectoryPoint } from '../../types/index.js';
import { GridAStar } from '../../planners/grid-astar.js';
import { GridGraph } from '../../planners/grid-graph.js';
import type { PlanFunction, PlanRequest } from '../planning/planner.js';

export interface GridPlanOptions {
  /** Obstacle growth (m): half the car's width plus a margin. */
  inflation?: number;
  occupiedAbove?: number;
  cruiseSpeed?: number;
  maxLateralAccel?: number;
  maxAccel?: number;
  stopDecel?: number;
  /** Wall-clock cap per search (ms). */
  timeoutMs?: number;
}

export function gridPlanFunction(options: GridPlanOptions = {}): PlanFunction {
  const o = { inflation: 1.0, occupiedAbove: 0.4, cruiseSpeed: 8.5, maxLateralAccel: 1.8, maxAccel: 1.5, stopDecel: 2.0, timeoutMs: 150, ...options };
  let blocked = new Uint8Array(0);
  return (req: PlanRequest): Plan => {
    const t0 = performance.now();
    const { grid, start, goal } = req;
    const fail = (status: Plan['status'], reason: string): Plan => ({
      timeNs: req.timeNs, frameId: grid.frameId, status, poses: [], goal, cost: Infinity, planningMs: performance.now() - t0, reason,
    });
    if (Math.abs(grid.origin.yaw) > 1e-9) return fail('invalid_input', 'grid planner needs a world-aligned grid (origin yaw 0)');
    const W = grid.width;
    const H = grid.height;
    const res = grid.resolution;
    if (blocked.length !== W * H) blocked = new Uint8Array(W * H);
    blocked.fill(0);
    const r = Math.ceil(o.inflation / res);
    const r2 = (o.inflation / res) ** 2;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (grid.logOdds[y * W + x] <= o.occupiedAbove) continue;
        for (let dy = -r; dy <= r; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= H) continue;
          for (let dx = -r; dx <= r; dx++) {
            const xx = x + dx;
            if (xx >= 0 && xx < W && dx * dx + dy * dy <= r2) blocked[yy * W + xx] = 1;
          }
        }
      }
    }
    const cell = (p: { x: number; y: number }): [number, number] => [Math.floor((p.x - grid.origin.x) / res), Math.floor((p.y - grid.origin.y) / res)];
    const [sx, sy] = cell(start);
    let [gx, gy] = cell(goal);
    if (sx < 0 || sy < 0 || sx >= W || sy >= H) return fail('invalid_input', 'the ego is outside the grid');
    if (gx < 0 || gy < 0 || gx >= W || gy >= H) return fail('invalid_input', 'the goal is outside the grid');
    // The car stands where it stands: clear its own surroundings (the grid may mark a curb it is close to).
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (sx + dx >= 0 && sy + dy >= 0 && sx + dx < W && sy + dy < H) blocked[(sy + dy) * W + sx + dx] = 0;
    if (blocked[gy * W + gx]) {
      // Shorten the goal toward the car rather than swerve around it: the last free cell on the
      // straight line from the car to the goal, if it is at least 3 m ahead.
      const steps = Math.max(Math.abs(gx - sx), Math.abs(gy - sy));
      let found = false;
      for (let k = steps; k >= 0; k--) {
        const x = Math.round(sx + ((gx - sx) * k) / steps);
        const y = Math.round(sy + ((gy - sy) * k) / steps);
        if (blocked[y * W + x]) continue;
        // Only accept it if the straight segment up to it is free too (a car-length clear corridor).
        let clear = true;
        for (let j = 0; j <= k && clear; j++) {
          if (blocked[Math.round(sy + ((gy - sy) * j) / steps) * W + Math.round(sx + ((gx - sx) * j) / steps)]) clear = false;
        }
        if (clear && Math.hypot(x - sx, y - sy) * res >= 3) {
          gx = x;
          gy = y;
          found = true;
        }
        break;
      }
      if (!found) return fail('goal_in_collision', 'the goal and the way straight to it are blocked');
    }
    const search = new GridAStar(new GridGraph(W, H, blocked)).search(sx, sy, gx, gy, { deadline: t0 + o.timeoutMs });
    if (search.status !== 'ok') return fail(search.status, search.status === 'no_path' ? 'obstacles close every way to the goal' : `no path within ${o.timeoutMs} ms`);
    // Cell centres -> world, smoothed with a moving average (the ends stay put).
    const n = search.cells.length / 2;
    const px = new Float64Array(n);
    const py = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      px[i] = grid.origin.x + (search.cells[2 * i] + 0.5) * res;
      py[i] = grid.origin.y + (search.cells[2 * i + 1] + 0.5) * res;
    }
    px[0] = start.x;
    py[0] = start.y;
    const sm = smooth(px, py, 6);
    const pts = resample(sm.x, sm.y, 1.0);
    const m = pts.length;
    if (m < 2) return fail('no_path', 'start and goal coincide');
    const yaw = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const a = Math.max(0, i - 1);
      const b = Math.min(m - 1, i + 1);
      yaw[i] = Math.atan2(pts[b].y - pts[a].y, pts[b].x - pts[a].x);
    }
    // Speeds: curvature limit, then forward (accelerate from the current speed) and backward (stop at the end) passes.
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const a = Math.max(0, i - 2);
      const b = Math.min(m - 1, i + 2);
      let dyaw = yaw[b] - yaw[a];
      dyaw = Math.atan2(Math.sin(dyaw), Math.cos(dyaw));
      const k = Math.abs(dyaw) / Math.max(1e-6, b - a);
      v[i] = Math.min(o.cruiseSpeed, k > 1e-6 ? Math.sqrt(o.maxLateralAccel / k) : Infinity);
    }
    v[0] = Math.min(v[0], Math.max(req.startSpeed, 0));
    for (let i = 1; i < m; i++) v[i] = Math.min(v[i], Math.sqrt(v[i - 1] ** 2 + 2 * o.maxAccel));
    v[m - 1] = 0;
    for (let i = m - 2; i >= 0; i--) v[i] = Math.min(v[i], Math.sqrt(v[i + 1] ** 2 + 2 * o.stopDecel));
    const poses: TrajectoryPoint[] = [];
    let t = 0;
    for (let i = 0; i < m; i++) {
      if (i > 0) t += 2 / Math.max(0.2, v[i] + v[i - 1]);
      poses.push({ x: pts[i].x, y: pts[i].y, yaw: yaw[i], t, v: v[i] });
    }
    return { timeNs: req.timeNs, frameId: grid.frameId, status: 'ok', poses, goal, cost: search.length * res, planningMs: performance.now() - t0, expansions: search.expansions };
  };
}

function smooth(x: Float64Array, y: Float64Array, half: number): { x: Float64Array; y: Float64Array } {
  const n = x.length;
  const ox = new Float64Array(n);
  const oy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = Math.min(half, i, n - 1 - i);
    let sx = 0;
    let sy = 0;
    for (let k = -h; k <= h; k++) {
      sx += x[i + k];
      sy += y[i + k];
    }
    ox[i] = sx / (2 * h + 1);
    oy[i] = sy / (2 * h + 1);
  }
  return { x: ox, y: oy };
}

function resample(x: Float64Array, y: Float64Array, step: number): { x: number; y: number }[] {
  const out = [{ x: x[0], y: y[0] }];
  let carry = 0;
  for (let i = 1; i < x.length; i++) {
    const dx = x[i] - x[i - 1];
    const dy = y[i] - y[i - 1];
    const len = Math.hypot(dx, dy);
    let d = step - carry;
    while (d <= len) {
      out.push({ x: x[i - 1] + (dx * d) / len, y: y[i - 1] + (dy * d) / len });
      d += step;
    }
    carry = len - (d - step);
  }
  const last = { x: x[x.length - 1], y: y[y.length - 1] };
  const tail = out[out.length - 1];
  if (Math.hypot(last.x - tail.x, last.y - tail.y) > step * 0.3) out.push(last);
  return out;
}
