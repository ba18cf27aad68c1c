export { Prng, hash2, hash2f, valueNoise } from './prng.js';
export { Polyline } from './polyline.js';
export { RoadNetwork, Ground, generateRoadNetwork, type RoadNode, type RoadEdge, type RoadGeometry, type RoadNetworkOptions } from './road-network.js';
export { Prisms, PrismGrid, Label, Shape, Style, type PrismSpec } from './prisms.js';
export { generateTown, addCar, type Town, type TownOptions, type Lighting } from './town.js';
export { Route, planRoute, type RouteOptions } from './route.js';
export { Actors, type ActorOptions } from './actors.js';
export { SyntheticWorld, type WorldOptions } from './world.js';
export { syntheticCalibration, SYNTHETIC_CAMERA_ID, LEVEL_CAMERA_ORIENTATION, type RigOptions } from './camera-rig.js';
export { SceneRenderer, type RenderedFrame } from './renderer.js';
export { groundTruthOccupancy, isOccupied, GT_OCCUPIED, GT_FREE, type GroundTruthGridOptions } from './ground-truth.js';
export {
  SyntheticDrive,
  writeSyntheticDrive,
  encodeJpeg,
  labelsToFoxglove,
  frameCount,
  frameTimeNs,
  SYNTHETIC_EPOCH_NS,
  type SyntheticDriveOptions,
  type SyntheticDriveSummary,
  type SyntheticFrame,
} from './drive.js';
export { evaluateAgainstGroundTruth, CAMVID_NAMES, type GroundTruthReport, type ClassScore, type EvaluateOptions } from './evaluate.js';
export * from './closed-loop/index.js';
export { exportSegmentationDataset, type DatasetExportOptions } from './export-dataset.js';
