/**
 * One call from an occupancy grid and two poses to a timed trajectory: costmap, Hybrid A*,
 * smoothing, speed profile. Poses are in the grid's frame (`grid.frameId`); every failure comes
 * back as a Plan with a status and a reason, never as an exception.
 */
import type { Pose2 } from '../types/geometry.js';
import type { OccupancyGrid, Plan, PlanStatus } from '../types/messages.js';
import { buildCostmap, type Costmap, type CostmapOptions } from './costmap.js';
import { DEFAULT_VEHICLE, Footprint, type VehicleShape } from './footprint.js';
import { gridWindow } from './grid-window.js';
import { HybridAStar, type HybridAStarOptions, type HybridResult } from './hybrid-astar.js';
import { smoothPath, type SmootherOptions } from './smoother.js';
import { speedProfile, type SpeedLimits } from './speed-profile.js';
import { wrapAngle } from '../types/angle.js';

export interface PlanPathOptions extends HybridAStarOptions {
  /** Heading bins each motion primitive turns (default 2: 0.87 m steps at a 5 m radius). */
  stepBins?: number;
  /** Cell size of the obstacle heuristic's grid, metres (default 0.8). */
  heuristicCell?: number;
  /**
   * Expansions on the fine lattice before the search restarts on a coarse one (twice the step
   * and the lattice cell; default 4000; Infinity = never). The obstacle heuristic is a 2D
   * distance: where the car has to drive around a block to turn, it underestimates by tens of
   * metres and the search must expand every state below the true cost. The coarse lattice has
   * 4-8x fewer such states. If the coarse search proves there is no path on its lattice, the
   * fine one gets the time left.
   */
  coarseAfter?: number;
  vehicle?: VehicleShape;
  /** Safety margin added to the footprint circles, metres (default 0.1). */
  footprintMargin?: number;
  costmap?: CostmapOptions;
  /**
   * Plan inside the box around start and goal widened by this many metres (default: the whole
   * grid). Cells outside it count as walls, like space outside the grid; the planning work then
   * scales with the window, not the grid.
   */
  windowMargin?: number;
  /** false skips smoothing. */
  smoother?: SmootherOptions | false;
  speed?: SpeedLimits;
}

/** Reused from call to call when the grid keeps its size (the engine's case): no 1 MB of garbage per plan. */
let lastCostmap: Costmap | null = null;

export function planPath(grid: OccupancyGrid, start: Pose2, goal: Pose2, options: PlanPathOptions = {}): Plan {
  const t0 = performance.now();
  const base = { timeNs: grid?.timeNs ?? 0n, frameId: grid?.frameId ?? '', goal };
  const failed = (status: PlanStatus, reason: string, expansions?: number): Plan => ({
    ...base, status, poses: [], cost: Infinity, planningMs: performance.now() - t0, expansions, reason,
  });
  const bad = checkInput(grid, start, goal);
  if (bad) return failed('invalid_input', bad);
  let planner: HybridAStar;
  let window: OccupancyGrid;
  try {
    window = options.windowMargin === undefined ? grid : gridWindow(grid, [start, goal], options.windowMargin);
    const costmap = buildCostmap(window, options.costmap, lastCostmap ?? undefined);
    lastCostmap = costmap;
    const footprint = new Footprint(options.vehicle ?? DEFAULT_VEHICLE, options.footprintMargin ?? 0.1);
    planner = new HybridAStar(costmap, footprint, options.headings ?? 72, options.stepBins ?? 2, options.heuristicCell ?? 0.8);
  } catch (err) {
    return failed('invalid_input', (err as Error).message);
  }
  const toGrid = frameTransform(window.origin);
  const s = toGrid.toLocal(start);
  const g = toGrid.toLocal(goal);
  const result = search(planner, s, g, options, t0);
  if (result.status !== 'ok') return failed(result.status, result.reason ?? result.status, result.expansions);
  const smoothed = options.smoother === false ? result : smoothPath(planner.map, planner.footprint, result, options.smoother || {});
  let poses;
  try {
    poses = speedProfile(smoothed, options.speed);
  } catch (err) {
    return failed('invalid_input', (err as Error).message, result.expansions);
  }
  for (const p of poses) {
    const w = toGrid.toWorld(p);
    p.x = w.x;
    p.y = w.y;
    p.yaw = w.yaw;
  }
  return { ...base, status: 'ok', poses, cost: result.cost, planningMs: performance.now() - t0, expansions: result.expansions };
}

/**
 * The fine lattice alone for `coarseAfter` expansions; then the fine and the coarse searches
 * take turns, 256 expansions each, until one finds a path, both prove there is none, or a cap
 * (time, or expansions counted over both) is reached.
 */
function search(fine: HybridAStar, s: Pose2, g: Pose2, options: PlanPathOptions, t0: number): HybridResult {
  const limit = options.timeLimitMs ?? 200;
  const maxExpansions = options.maxExpansions ?? 200_000;
  const budget = Math.max(1, options.coarseAfter ?? 4000);
  const left = () => Math.max(0, limit - (performance.now() - t0));
  const a = fine.search(s, g, { ...options, timeLimitMs: left() });
  let ra = a.next();
  while (!ra.done && ra.value < budget) ra = a.next();
  if (ra.done) return ra.value;
  const coarse = new HybridAStar(fine.map, fine.footprint, fine.headingCount, fine.stepBins * 2, fine.heuristicCell, 1);
  const b = coarse.search(s, g, { ...options, timeLimitMs: left(), maxExpansions: maxExpansions - ra.value });
  let rb = b.next();
  let fineCount = ra.value;
  let coarseCount = 0;
  let fineDone: HybridResult | null = null;
  let coarseDone: HybridResult | null = null;
  const both = (r: HybridResult, other: HybridResult | null, otherCount: number): HybridResult => ({
    ...r,
    expansions: r.expansions + (other ? other.expansions : otherCount),
    heuristicMs: r.heuristicMs + (other?.heuristicMs ?? 0),
  });
  for (;;) {
    if (rb.done) {
      coarseDone ??= rb.value;
      if (coarseDone.status !== 'no_path') return both(coarseDone, fineDone, fineCount);
    } else coarseCount = rb.value;
    if (ra.done) {
      fineDone ??= ra.value;
      if (fineDone.status !== 'no_path') return both(fineDone, coarseDone, coarseCount);
    } else fineCount = ra.value;
    if (fineDone && coarseDone) return both(fineDone, coarseDone, 0);
    // Each search may use what the other has not: the caller's cap holds over both, exactly.
    const coarseUsed = coarseDone ? coarseDone.expansions : coarseCount;
    if (!ra.done) ra = a.next(maxExpansions - coarseUsed);
    if (!rb.done) rb = b.next(maxExpansions - (ra.done ? ra.value.expansions : ra.value));
    for (const r of [ra, rb]) {
      if (r.done && r.value.status === 'timeout' && /expansion cap/.test(r.value.reason ?? '')) {
        r.value.reason = `expansion cap of ${maxExpansions} reached (fine and coarse lattices together)`;
      }
    }
  }
}

function checkInput(grid: OccupancyGrid, start: Pose2, goal: Pose2): string | null {
  if (!grid || !grid.logOdds) return 'no occupancy grid given';
  if (!(grid.width > 0 && grid.height > 0)) return `the occupancy grid is empty (${grid.width}x${grid.height})`;
  if (!(grid.resolution > 0) || !Number.isFinite(grid.resolution)) return `the grid resolution must be positive, got ${grid.resolution}`;
  const o = grid.origin;
  if (!o || ![o.x, o.y, o.yaw].every(Number.isFinite)) return 'the grid origin pose is not finite';
  for (const [name, p] of [['start', start], ['goal', goal]] as const) {
    if (!p || ![p.x, p.y, p.yaw].every(Number.isFinite)) return `the ${name} pose is not finite: ${JSON.stringify(p)}`;
    const l = frameTransform(o).toLocal(p);
    const w = grid.width * grid.resolution;
    const h = grid.height * grid.resolution;
    if (l.x < 0 || l.y < 0 || l.x >= w || l.y >= h) {
      return `the ${name} (${p.x.toFixed(2)}, ${p.y.toFixed(2)}) lies outside the ${w.toFixed(1)} m x ${h.toFixed(1)} m grid`;
    }
  }
  return null;
}

/** Maps poses between a frame and a child frame placed at `origin` in it. */
export function frameTransform(origin: Pose2): { toLocal(p: Pose2): Pose2; toWorld(p: Pose2): Pose2 } {
  const c = Math.cos(origin.yaw);
  const s = Math.sin(origin.yaw);
  return {
    toLocal(p) {
      const dx = p.x - origin.x;
      const dy = p.y - origin.y;
      return { x: c * dx + s * dy, y: -s * dx + c * dy, yaw: p.yaw - origin.yaw };
    },
    toWorld(p) {
      return { x: origin.x + c * p.x - s * p.y, y: origin.y + s * p.x + c * p.y, yaw: wrapAngle(p.yaw + origin.yaw) };
    },
  };
}
