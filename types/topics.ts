/**
 * Topic names of grokdrive's MCAP logs. Inputs are written by the importers and the synthetic
 * world; the engine's replay copies them and adds its outputs. Schemas are the Foxglove ones
 * (protobuf encoding) unless marked JSON.
 */
export const topics = {
  /** foxglove.CompressedImage, frame_id = camera id. */
  cameraImage: (cameraId: string) => `/camera/${cameraId}/image`,
  /** foxglove.CameraCalibration, one per image, same log time. */
  cameraCalibration: (cameraId: string) => `/camera/${cameraId}/calibration`,
  /** foxglove.FrameTransform world -> base_link, the ego pose, one per frame. */
  egoPose: '/ego/pose',
  /** foxglove.FrameTransform base_link -> sensor frames (camera extrinsics, lidar mount). */
  staticTransforms: '/tf_static',
  /** foxglove.PointCloud in the lidar frame. */
  lidar: '/lidar/points',
  /** foxglove.RawImage mono8 of class indices (synthetic ground truth). */
  groundTruthSegmentation: (cameraId: string) => `/ground_truth/${cameraId}/segmentation`,
  /** foxglove.Grid occupancy ground truth (synthetic world). */
  groundTruthOccupancy: '/ground_truth/occupancy',

  /** Engine outputs. foxglove.RawImage mono8 class indices. */
  segmentation: (cameraId: string) => `/perception/${cameraId}/segmentation`,
  /** foxglove.RawImage mono8: 255 where the stereo ground check found the pixel flat like the road. */
  stereoGround: (cameraId: string) => `/perception/${cameraId}/stereo_ground`,
  /** JSON { classes: ClassInfo[] }: names, colours and roles of the class indices, written once. */
  segmentationClasses: '/perception/classes',
  /** foxglove.Grid, one float32 field "log_odds", frame world. */
  occupancy: '/occupancy/grid',
  /** foxglove.PosesInFrame in world. Speeds and times ride along in /planning/trajectory. */
  plan: '/planning/plan',
  /** JSON: { status, reason, cost, planningMs, expansions, points: [{x,y,yaw,t,v}] } */
  trajectory: '/planning/trajectory',
  /** JSON: FrameResult summary { index, status, reason, timings, diagnostics }. */
  frameResult: '/engine/frame_result',
} as const;

/** Frame ids used in transforms. */
export const frames = {
  world: 'world',
  vehicle: 'base_link',
  lidar: 'velodyne',
  /** The road plane under the vehicle: base_link -> road is (0, 0, groundZ), no rotation. */
  road: 'road',
} as const;
