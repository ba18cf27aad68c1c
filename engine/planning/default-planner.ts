/**
 * The engine's default planner: the planners' Hybrid A* (costmap from the frame's grid,
 * smoothing, speed profile) starting at the ego vehicle's current speed, up to 13.9 m/s
 * (50 km/h, a city limit) unless told otherwise, within 100 ms.
 */
import { planPath, type PlanPathOptions } from '../../planners/plan-path.js';
import type { PlanFunction } from './planner.js';

export function defaultPlanner(options: PlanPathOptions = {}): PlanFunction {
  const timeLimitMs = options.timeLimitMs ?? 100;
  return ({ grid, start, goal, startSpeed }) =>
    planPath(grid, start, goal, { ...options, timeLimitMs, speed: { maxSpeed: 13.9, ...options.speed, startSpeed } });
}
