export { KinematicBicycle, SIM_VEHICLE, type VehicleParams, type VehicleState } from './vehicle.js';
export { TrajectoryTracker, type TrackerCommand, type TrackerOptions } from './tracker.js';
export { nearestObstacle, offRoad, type Contact, type ObstacleKind } from './safety.js';
export {
  runScenario,
  summariseScenarios,
  COLLISION_PENALTY,
  type ScenarioOptions,
  type ScenarioResult,
  type ScenarioSetSummary,
  type ScenarioOutcome,
  type CollisionEvent,
  type Driver,
  type DriverFactory,
  type DriverOutput,
  type StepInfo,
} from './scenario.js';
export { routeOracle } from './oracle.js';
