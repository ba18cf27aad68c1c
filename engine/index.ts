/** The engine: createEngine and its parts (stages, scheduling, occupancy, planning glue). */
export { createEngine, type Engine, type EngineConfig, type EngineMode, type FrameInput, type PlanningConfig } from './create-engine.js';
export type { Segmenter } from './segmenter.js';
export { WorkerSegmenter } from './worker/worker-segmenter.js';
export * from './occupancy/index.js';
export { poseTrackGoals, latestGoals, type GoalSource } from './planning/goals.js';
export type { PlanFunction, PlanRequest } from './planning/planner.js';
export { defaultPlanner } from './planning/default-planner.js';
export { pullGate, queueGate, latestGate, type Gate, type GateEvent } from './scheduling.js';
export { replayDrive, type ReplayOptions, type ReplaySummary } from './replay/replay-drive.js';
export { StageStats, type StageSummary } from './replay/stage-stats.js';
export { displacementErrors, pathDeviation, planCrossesOccupied, planPositionAt } from './replay/open-loop.js';
export { evaluateOccupancyOnKitti, type OccupancyEvalOptions, type OccupancyEvalReport } from './evaluate-occupancy.js';
