/**
 * Follows a planned trajectory: pure pursuit for steering (look-ahead grows with speed) and a
 * proportional speed controller toward the plan's speed, braking to stop at the plan's end.
 * A plan is trusted for `maxAgeS`; without a usable plan the car brakes.
 */
import type { Plan } from '../../../types/index.js';
import type { VehicleParams, VehicleState } from './vehicle.js';

export interface TrackerCommand {
  accel: number;
  steer: number;
  /** Why the car brakes without a plan, if it does. */
  braking?: string;
}

export interface TrackerOptions {
  /** Seconds a plan stays usable after the frame it was made for (default 1.0). */
  maxAgeS?: number;
  speedGain?: number;
  /** Comfortable deceleration used to stop at the plan's end (m/s^2). */
  stopDecel?: number;
  /** Braking without a plan (m/s^2, positive). */
  fallbackBrake?: number;
  /** Largest change of the commanded acceleration per second in normal driving (m/s^3). */
  comfortJerk?: number;
}

export class TrajectoryTracker {
  private plan: Plan | undefined;
  private planTimeS = 0;
  private lastAccel = 0;
  private lastT: number | undefined;
  private readonly o: Required<TrackerOptions>;

  constructor(private readonly vehicle: VehicleParams, options: TrackerOptions = {}) {
    this.o = { maxAgeS: 1.0, speedGain: 1.2, stopDecel: 2.5, fallbackBrake: 4, comfortJerk: 5, ...options };
  }

  /** Offer the plan made for the frame at time tS; failed plans leave the last good one in place. */
  offer(plan: Plan | undefined, tS: number): void {
    if (plan && plan.status === 'ok' && plan.poses.length >= 2) {
      this.plan = plan;
      this.planTimeS = tS;
    }
  }

  command(state: VehicleState, tS: number): TrackerCommand {
    const dt = this.lastT === undefined ? 0 : tS - this.lastT;
    this.lastT = tS;
    const cmd = this.raw(state);
    // Comfort: the acceleration changes at a bounded rate unless an emergency stop is needed.
    if (!cmd.emergency && dt > 0) {
      const step = this.o.comfortJerk * dt;
      cmd.accel = Math.max(this.lastAccel - step, Math.min(this.lastAccel + step, cmd.accel));
    }
    this.lastAccel = cmd.accel;
    return { accel: cmd.accel, steer: cmd.steer, braking: cmd.braking };
  }

  private raw(state: VehicleState): TrackerCommand & { emergency: boolean } {
    const plan = this.plan;
    const tS = this.lastT ?? 0;
    if (!plan || tS - this.planTimeS > this.o.maxAgeS) {
      return { accel: -this.o.fallbackBrake, steer: state.steer, braking: plan ? 'plan too old' : 'no plan yet', emergency: true };
    }
    const pts = plan.poses;
    // Nearest plan point to the rear axle.
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < pts.length; i++) {
      const d = (pts[i].x - state.x) ** 2 + (pts[i].y - state.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    // Arc length from the nearest point on.
    const lookahead = Math.max(3, 0.9 * state.v + 2);
    let acc = 0;
    let target = pts[pts.length - 1];
    for (let i = best; i + 1 < pts.length; i++) {
      acc += Math.hypot(pts[i + 1].x - pts[i].x, pts[i + 1].y - pts[i].y);
      if (acc >= lookahead) {
        target = pts[i + 1];
        break;
      }
    }
    let remaining = 0;
    for (let i = best; i + 1 < pts.length; i++) remaining += Math.hypot(pts[i + 1].x - pts[i].x, pts[i + 1].y - pts[i].y);

    const dx = target.x - state.x;
    const dy = target.y - state.y;
    const c = Math.cos(state.yaw);
    const s = Math.sin(state.yaw);
    const lx = c * dx + s * dy;
    const ly = -s * dx + c * dy;
    const ld2 = lx * lx + ly * ly;
    const steer = ld2 > 1e-6 ? Math.atan((2 * this.vehicle.wheelbase * ly) / ld2) : 0;

    // Speed: the plan's speed a little ahead of the nearest point, capped to stop at its end.
    const ahead = pts[Math.min(pts.length - 1, best + 2)];
    let vTarget = Math.max(0, ahead.v);
    vTarget = Math.min(vTarget, Math.sqrt(2 * this.o.stopDecel * Math.max(0, remaining - 1)));
    const accel = this.o.speedGain * (vTarget - state.v);
    // Stopping within the plan needs more than a comfortable deceleration: brake at once.
    const needed = remaining > 0.5 ? (state.v * state.v) / (2 * remaining) : Infinity;
    return { accel, steer, emergency: state.v > 0.5 && needed > this.o.stopDecel * 1.2 };
  }
}
