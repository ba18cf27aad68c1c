/** Planners: costmaps, grid A*, Hybrid A* with Reeds-Shepp, smoothing and speed profiles. */
export { BinaryHeap } from './binary-heap.js';
export { GridGraph } from './grid-graph.js';
export { GridAStar, cellPathLength, cellPairs, type GridPath, type GridSearchLimits } from './grid-astar.js';
export { GridDijkstra } from './dijkstra.js';
export { parseMovingAiMap, type MovingAiMap } from './movingai/map-file.js';
export { parseScenarios, type Scenario } from './movingai/scenario-file.js';
export { runMovingAiBenchmark, findScenarioSets, quantile, type MovingAiReport, type MovingAiOptions } from './movingai/benchmark.js';
export { loadPathfindingPeer, type Peer } from './movingai/pathfinding-peer.js';
export { DistanceTransform } from './distance-transform.js';
export { Costmap, buildCostmap, type CostmapOptions } from './costmap.js';
export { Footprint, DEFAULT_VEHICLE, type VehicleShape } from './footprint.js';
export { driveSegment, pathEnd, samplePath, wrapAngle, type CurvePath, type CurveSegment, type SegmentKind, type SampledPath } from './curve-path.js';
export { reedsShepp, reedsSheppPaths, reedsSheppDistance } from './reeds-shepp.js';
export { dubins, dubinsPaths, dubinsDistance } from './dubins.js';
export { HybridAStar, type HybridAStarOptions, type HybridResult } from './hybrid-astar.js';
export { smoothPath, type SmootherOptions, type PathPoses } from './smoother.js';
export { speedProfile, type SpeedLimits } from './speed-profile.js';
export { planPath, frameTransform, type PlanPathOptions } from './plan-path.js';
