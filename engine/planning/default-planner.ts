/**
 * The engine's default planner: the planners' Hybrid A* (costmap from the frame's grid,
 * smoothing, speed profile) starting at the ego vehicle's current speed, up to 13.9 m/s
 * (50 km/h, a city limit) unless told otherwise, within 100 ms.
 */
import { planPath, type PlanPathOptions } from '../../planners/plan-path.js';
import type { PlanFunction } from './planner.js';

/**
 * Log-odds from which the engine's planner treats a cell as an obstacle: more than one camera
 * hit (0.85), e.g. a hit and a half hit, or hits in two frames. A single frame's segmentation
 * blip far out (where one pixel row spans metres of road) then does not block the lane. On the
 * KITTI drive: 95 of 104 open-loop plans instead of 85 (99 with the grid's cap on possible
 * obstacles), and still none crosses a cell the lidar shows occupied (docs/engine.md).
 */
export const ENGINE_OBSTACLE_LOG_ODDS = 1.2;

/**
 * Metres around the start and the goal the engine's planner may use (planPath's windowMargin):
 * room for the lattice's 5 m turns and for going round a parked car; the costmap and the
 * heuristic then cover a fifth of the 80 m grid for a 3 s goal.
 */
export const ENGINE_PLAN_WINDOW_M = 10;

export function defaultPlanner(options: PlanPathOptions = {}): PlanFunction {
  const timeLimitMs = options.timeLimitMs ?? 100;
  const windowMargin = options.windowMargin ?? ENGINE_PLAN_WINDOW_M;
  const costmap = { occupiedLogOdds: ENGINE_OBSTACLE_LOG_ODDS, ...options.costmap };
  return ({ grid, start, goal, startSpeed }) =>
    planPath(grid, start, goal, { ...options, costmap, timeLimitMs, windowMargin, speed: { maxSpeed: 13.9, ...options.speed, startSpeed } });
}
