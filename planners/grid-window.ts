/**
 * The part of an occupancy grid a plan can use: the box around the start and the goal, widened
 * by a margin. Costmap, clearance and heuristic then cost what this window holds, not what the
 * whole grid holds (the engine's 80 m grid around a 3 s goal: about a fifth).
 */
import type { Pose2 } from '../types/geometry.js';
import type { OccupancyGrid } from '../types/messages.js';

/** Window sides are rounded up to this many cells, so most frames keep the costmap's size (and its buffers). */
const SIDE_STEP = 32;

/**
 * A copy of the cells within `marginM` metres of the box around `points` (poses in the grid's
 * frame, as planPath takes them), as an OccupancyGrid whose origin places it where it lies. The
 * grid itself when the window would hold nearly all of it.
 */
export function gridWindow(grid: OccupancyGrid, points: readonly Pose2[], marginM: number): OccupancyGrid {
  if (!(marginM >= 0)) throw new RangeError(`window margin must be >= 0 m, got ${marginM}`);
  const { origin, resolution: res, width, height } = grid;
  const c = Math.cos(origin.yaw);
  const s = Math.sin(origin.yaw);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    const dx = p.x - origin.x;
    const dy = p.y - origin.y;
    const lx = c * dx + s * dy;
    const ly = -s * dx + c * dy;
    x0 = Math.min(x0, lx);
    y0 = Math.min(y0, ly);
    x1 = Math.max(x1, lx);
    y1 = Math.max(y1, ly);
  }
  const side = (lo: number, hi: number, cells: number): [number, number] => {
    // + 2 cells: the box's ends may fall anywhere in their cells.
    const want = Math.ceil(((hi - lo + 2 * marginM) / res + 2) / SIDE_STEP) * SIDE_STEP;
    const n = Math.min(cells, want);
    const centre = (lo + hi) / 2 / res;
    const first = Math.max(0, Math.min(cells - n, Math.round(centre - n / 2)));
    return [first, n];
  };
  const [cx, w] = side(x0, x1, width);
  const [cy, h] = side(y0, y1, height);
  if (w * h >= 0.8 * width * height) return grid;
  const logOdds = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const from = (cy + y) * width + cx;
    logOdds.set(grid.logOdds.subarray(from, from + w), y * w);
  }
  const ox = cx * res;
  const oy = cy * res;
  return {
    ...grid,
    origin: { x: origin.x + c * ox - s * oy, y: origin.y + s * ox + c * oy, yaw: origin.yaw },
    width: w,
    height: h,
    logOdds,
  };
}
