/** The planner as the engine calls it: the frame's grid, the ego pose, a goal -> a Plan. */
import type { OccupancyGrid, Plan, Pose2, TimeNs } from '../../types/index.js';

export type PlanFunction = (grid: OccupancyGrid, start: Pose2, goal: Pose2, timeNs: TimeNs) => Plan;
