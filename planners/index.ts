/** Planners: costmaps, grid A*, Hybrid A* with Reeds-Shepp, smoothing and speed profiles. */
export { BinaryHeap } from './binary-heap.js';
export { GridGraph } from './grid-graph.js';
export { GridAStar, cellPathLength, cellPairs, type GridPath, type GridSearchLimits } from './grid-astar.js';
export { GridDijkstra } from './dijkstra.js';
export { parseMovingAiMap, type MovingAiMap } from './movingai/map-file.js';
export { parseScenarios, type Scenario } from './movingai/scenario-file.js';
export { runMovingAiBenchmark, findScenarioSets, quantile, type MovingAiReport, type MovingAiOptions } from './movingai/benchmark.js';
export { loadPathfindingPeer, type Peer } from './movingai/pathfinding-peer.js';
