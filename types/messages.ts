/**
 * The messages between stages (DESIGN.md "Data contracts"). Every message is stamped with the
 * time of the camera frame it derives from, in nanoseconds (`TimeNs`, bigint).
 */
import type { Pose2, Pose3 } from './geometry.js';
import type { TimeNs } from './time.js';

/** An image as it travels: compressed bytes (JPEG/PNG) or raw pixels. */
export type ImageData =
  | { format: 'jpeg' | 'png'; data: Uint8Array }
  | { format: 'rgb8' | 'mono8'; width: number; height: number; data: Uint8Array };

/**
 * Pinhole camera calibration for the image as stored (already rescaled to its pixel size).
 * Camera frame: x right, y down, z forward (OpenCV).
 */
export interface CameraCalibration {
  cameraId: string;
  width: number;
  height: number;
  /** fx, fy, cx, cy in pixels, pixel-centre convention (pixel (0,0) centre is at 0,0). */
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** plumb_bob / radial-tangential: k1, k2, p1, p2, k3. All zero for rectified images. */
  distortion: [number, number, number, number, number];
  /** Pose of the camera frame in the vehicle frame (base_link: x forward, y left, z up). */
  cameraToVehicle: Pose3;
}

export interface SensorFrame {
  /** Capture time of the image. */
  timeNs: TimeNs;
  /** 0-based position of this frame in its source. */
  index: number;
  cameraId: string;
  image: ImageData;
  calibration: CameraCalibration;
  /** Pose of the vehicle frame in the drive's world frame, if known. */
  egoPose?: Pose3;
  /**
   * Height of the road plane in the vehicle frame (metres), when the vehicle frame is not on
   * the road (KITTI raw's IMU frame sits about 0.93 m above it). Absent = 0.
   */
  groundZ?: number;
  /** Where the frame came from, for error messages (file name, topic@time ...). */
  source?: string;
  /**
   * The right camera of a rectified stereo pair, captured with `image` (which is the left
   * one). With it the engine also checks which pixels are flat like the road
   * (engine/occupancy/stereo-ground.ts).
   */
  stereo?: StereoImage;
}

export interface StereoImage {
  image: ImageData;
  calibration: CameraCalibration;
  source?: string;
}

export interface ClassInfo {
  id: number;
  name: string;
  color: [number, number, number];
  /**
   * What the class means for free space: drivable ground; an obstacle (where it meets the
   * ground is occupied); ground the car should not drive on but that hides nothing (pavement,
   * grass: camera free space looks past it to what stands on it); or ignore (sky, void).
   */
  role: 'drivable' | 'obstacle' | 'ground' | 'ignore';
}

export interface Segmentation {
  timeNs: TimeNs;
  width: number;
  height: number;
  /** Class index per pixel, row-major. */
  classes: Uint8Array;
  classTable: ClassInfo[];
}

/**
 * A 2D occupancy grid. Cell (col, row) covers [origin + col*res, origin + (col+1)*res) along the
 * origin pose's x axis and likewise along its y axis; row-major, row 0 at the origin.
 */
export interface OccupancyGrid {
  timeNs: TimeNs;
  /** Frame the origin pose is expressed in ('world' for the engine's grid). */
  frameId: string;
  /** Pose of the grid's cell (0,0) corner. */
  origin: Pose2;
  resolution: number;
  width: number;
  height: number;
  /** Log-odds of occupancy per cell; 0 = unknown (p = 0.5), > 0 occupied, < 0 free. */
  logOdds: Float32Array;
}

export type PlanStatus =
  | 'ok'
  | 'no_path'
  | 'timeout'
  | 'start_in_collision'
  | 'goal_in_collision'
  | 'invalid_input';

export interface TrajectoryPoint {
  x: number;
  y: number;
  yaw: number;
  /** Seconds from the start of the plan. */
  t: number;
  /** Signed speed in m/s (negative when reversing). */
  v: number;
}

export interface Plan {
  timeNs: TimeNs;
  frameId: string;
  status: PlanStatus;
  poses: TrajectoryPoint[];
  goal?: Pose2;
  /** Path cost as the planner defines it (length plus penalties). */
  cost: number;
  planningMs: number;
  expansions?: number;
  /** Why the plan failed, in words a user can act on. */
  reason?: string;
}

export interface Diagnostic {
  level: 'info' | 'warn' | 'error';
  stage: string;
  message: string;
}

export type FrameStatus = 'processed' | 'dropped' | 'failed';

export interface FrameResult {
  timeNs: TimeNs;
  index: number;
  status: FrameStatus;
  /** Why the frame was dropped or failed. */
  reason?: string;
  frame?: SensorFrame;
  segmentation?: Segmentation;
  /**
   * The stereo ground check of a frame with a right image: 1 where a pixel is flat like the
   * road (at the image's size), and the vehicle's roll and pitch (radians) against the road
   * plane stereo fitted, when it could.
   */
  stereoGround?: { width: number; height: number; mask: Uint8Array; road?: { roll: number; pitch: number } };
  grid?: OccupancyGrid;
  plan?: Plan;
  /** Milliseconds per stage: decode, segment, project, fuse, plan, total. */
  timings: Record<string, number>;
  diagnostics: Diagnostic[];
}
