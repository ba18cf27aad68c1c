/** The planner as the engine calls it: the frame's grid, the ego pose and speed, a goal -> a Plan. */
import type { OccupancyGrid, Plan, Pose2, TimeNs } from '../../types/index.js';

export interface PlanRequest {
  grid: OccupancyGrid;
  /** Ego pose and goal in the grid's frame (world). */
  start: Pose2;
  goal: Pose2;
  timeNs: TimeNs;
  /** Ego speed (m/s) estimated from the recent poses; 0 when unknown. */
  startSpeed: number;
}

export type PlanFunction = (request: PlanRequest) => Plan;
