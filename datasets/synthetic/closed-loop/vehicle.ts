/**
 * The simulated ego car: a kinematic bicycle about the rear axle (the vehicle frame origin),
 * with steering angle, steering rate and acceleration limits, forward driving only.
 */
import type { Pose2 } from '../../../types/index.js';

export interface VehicleParams {
  wheelbase: number;
  /** Body: length, width and how far the rear overhangs the rear axle (m). */
  length: number;
  width: number;
  rearOverhang: number;
  maxSteer: number;
  maxSteerRate: number;
  maxAccel: number;
  maxBrake: number;
  maxSpeed: number;
}

export const SIM_VEHICLE: VehicleParams = {
  wheelbase: 2.7,
  length: 4.5,
  width: 1.85,
  rearOverhang: 0.9,
  maxSteer: 0.55,
  maxSteerRate: 0.8,
  maxAccel: 2.5,
  maxBrake: 6,
  maxSpeed: 14,
};

export interface VehicleState extends Pose2 {
  /** Speed (m/s, >= 0), steering angle (rad), last applied acceleration (m/s^2). */
  v: number;
  steer: number;
  accel: number;
}

export class KinematicBicycle {
  readonly params: VehicleParams;
  state: VehicleState;

  constructor(start: Pose2, speed: number, params: VehicleParams = SIM_VEHICLE) {
    this.params = params;
    this.state = { ...start, v: Math.max(0, speed), steer: 0, accel: 0 };
  }

  /** Advance dt seconds toward the commanded acceleration and steering (limited), in sub-steps. */
  step(accelCmd: number, steerCmd: number, dt: number, subSteps = 5): void {
    const p = this.params;
    const s = this.state;
    const a = Math.max(-p.maxBrake, Math.min(p.maxAccel, accelCmd));
    const target = Math.max(-p.maxSteer, Math.min(p.maxSteer, steerCmd));
    const h = dt / subSteps;
    let applied = 0;
    for (let k = 0; k < subSteps; k++) {
      const ds = Math.max(-p.maxSteerRate * h, Math.min(p.maxSteerRate * h, target - s.steer));
      s.steer += ds;
      const v0 = s.v;
      let v1 = Math.min(p.maxSpeed, Math.max(0, v0 + a * h));
      const vm = 0.5 * (v0 + v1);
      // Heading at the midpoint of the step (second-order accurate).
      const yawRate = (vm * Math.tan(s.steer)) / p.wheelbase;
      const yawMid = s.yaw + 0.5 * yawRate * h;
      s.x += vm * Math.cos(yawMid) * h;
      s.y += vm * Math.sin(yawMid) * h;
      s.yaw += yawRate * h;
      applied += (v1 - v0) / h;
      s.v = v1;
      v1 = 0;
    }
    s.accel = applied / subSteps;
    s.yaw = Math.atan2(Math.sin(s.yaw), Math.cos(s.yaw));
  }

  /** Corners of the body (world frame), counter-clockwise from rear right. */
  footprint(): [number, number][] {
    const p = this.params;
    const s = this.state;
    const c = Math.cos(s.yaw);
    const n = Math.sin(s.yaw);
    const xs = [-p.rearOverhang, p.length - p.rearOverhang];
    const hw = p.width / 2;
    const local: [number, number][] = [
      [xs[0], -hw],
      [xs[1], -hw],
      [xs[1], hw],
      [xs[0], hw],
    ];
    return local.map(([x, y]) => [s.x + c * x - n * y, s.y + n * x + c * y]);
  }
}
