/** Plain geometry shared by every layer. SI units, radians, ROS REP 103 axes. */

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** Unit quaternion (x, y, z, w), Hamilton convention as in ROS and Foxglove. */
export interface Quat {
  x: number;
  y: number;
  z: number;
  w: number;
}

/** Rigid transform / pose in 3D: where a child frame sits in its parent frame. */
export interface Pose3 {
  position: Vec3;
  orientation: Quat;
}

/** Planar pose: x, y in metres, yaw in radians (counter-clockwise from +x). */
export interface Pose2 {
  x: number;
  y: number;
  yaw: number;
}
