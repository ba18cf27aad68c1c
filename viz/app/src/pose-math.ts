/** The page uses the engine's own pose arithmetic (sensors/pose.ts), under short names. */
export type { Vec3, Quat, Pose3 as Pose } from '../../../types/geometry.js';
export {
  rotateVec3 as rotate,
  multiplyQuat as quatMultiply,
  conjugateQuat as conjugate,
  transformPoint,
  composePose3 as compose,
  invertPose3 as invert,
  yawFromQuat as yawOf,
  identityPose3 as identityPose,
} from '../../../sensors/pose.js';
