import { describe, expect, it } from 'vitest';
import { gridWindow, planPath } from '../../planners/index.js';
import { frameTransform } from '../../planners/plan-path.js';
import type { OccupancyGrid, Pose2 } from '../../types/index.js';

const RES = 0.2;

/** A 400 x 400 grid whose cell values encode their own column and row. */
function numbered(origin: Pose2): OccupancyGrid {
  const lo = new Float32Array(400 * 400);
  for (let i = 0; i < lo.length; i++) lo[i] = i;
  return { timeNs: 7n, frameId: 'world', origin, resolution: RES, width: 400, height: 400, logOdds: lo };
}

/** The value of the cell under world point p. */
function cellAt(grid: OccupancyGrid, p: { x: number; y: number }): number {
  const l = frameTransform(grid.origin).toLocal({ ...p, yaw: 0 });
  const cx = Math.floor(l.x / grid.resolution);
  const cy = Math.floor(l.y / grid.resolution);
  return cx >= 0 && cy >= 0 && cx < grid.width && cy < grid.height ? grid.logOdds[cy * grid.width + cx] : NaN;
}

describe('gridWindow', () => {
  it('cuts the box around the poses plus the margin, keeping every cell where it lies in the world', () => {
    const grid = numbered({ x: -40, y: 10, yaw: 0.6 });
    const a = frameTransform(grid.origin).toWorld({ x: 30, y: 30, yaw: 0 });
    const b = frameTransform(grid.origin).toWorld({ x: 42, y: 35, yaw: 0 });
    const win = gridWindow(grid, [a, b], 5);
    expect(win.width * win.height).toBeLessThan(0.25 * 400 * 400);
    expect(win.width * RES).toBeGreaterThanOrEqual(12 + 10);
    expect(win.height * RES).toBeGreaterThanOrEqual(5 + 10);
    expect(win.origin.yaw).toBe(grid.origin.yaw);
    // Both poses, and points the margin away from them (cell centres, clear of rounding), lie
    // inside; each cell is the grid's.
    for (const [lx, ly] of [[30.1, 30.1], [42.1, 35.1], [25.5, 25.5], [46.5, 39.5], [36.1, 32.1]]) {
      const p = frameTransform(grid.origin).toWorld({ x: lx, y: ly, yaw: 0 });
      expect(cellAt(win, p), `${lx}, ${ly}`).toBe(cellAt(grid, p));
    }
  });

  it('stays inside the grid at its edge, and gives the grid itself when the window would be most of it', () => {
    const grid = numbered({ x: 0, y: 0, yaw: 0 });
    const edge = gridWindow(grid, [{ x: 1, y: 1, yaw: 0 }, { x: 6, y: 2, yaw: 0 }], 10);
    expect(edge.origin).toEqual({ x: 0, y: 0, yaw: 0 });
    expect(cellAt(edge, { x: 1.1, y: 1.1 })).toBe(cellAt(grid, { x: 1.1, y: 1.1 }));
    expect(gridWindow(grid, [{ x: 5, y: 5, yaw: 0 }, { x: 75, y: 75, yaw: 0 }], 2)).toBe(grid);
    expect(() => gridWindow(grid, [{ x: 5, y: 5, yaw: 0 }], -1)).toThrow(/margin/);
  });
});

describe('planPath with a window', () => {
  it('plans the same drive around an obstacle inside the window, and fails cleanly where the way lies outside it', () => {
    const lo = new Float32Array(400 * 400).fill(-2);
    // A wall across x = 40 m from y = 0 to 70 m: the way round is at y > 70 m.
    for (let y = 0; y < 350; y++) for (let x = 200; x < 205; x++) lo[y * 400 + x] = 3;
    const grid: OccupancyGrid = { timeNs: 1n, frameId: 'world', origin: { x: 0, y: 0, yaw: 0 }, resolution: RES, width: 400, height: 400, logOdds: lo };
    const start = { x: 30, y: 40, yaw: 0 };
    const goal = { x: 50, y: 40, yaw: 0 };
    const whole = planPath(grid, start, goal, { timeLimitMs: 5000 });
    expect(whole.status, whole.reason).toBe('ok');
    const wide = planPath(grid, start, goal, { timeLimitMs: 5000, windowMargin: 40 });
    expect(wide.status, wide.reason).toBe('ok');
    expect(wide.poses.at(-1)!.x).toBeCloseTo(goal.x, 1);
    expect(Math.max(...wide.poses.map((p) => p.y))).toBeGreaterThan(70);
    const narrow = planPath(grid, start, goal, { timeLimitMs: 5000, windowMargin: 10 });
    expect(narrow.status).toBe('no_path');
  });
});
