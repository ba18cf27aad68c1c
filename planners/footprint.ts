/**
 * The car as the planner sees it: a rectangle around the rear axle (the reference point of
 * every pose), covered by a row of equal circles along its centre line so that a collision
 * check is one clearance lookup per circle.
 */
import type { Costmap } from './costmap.js';

export interface VehicleShape {
  /** Bumper to bumper, metres. */
  length: number;
  width: number;
  /** Rear axle to rear bumper, metres. */
  rearOverhang: number;
  /** Minimum turning radius of the rear axle centre, metres. */
  minTurningRadius: number;
}

/** A mid-size car. */
export const DEFAULT_VEHICLE: VehicleShape = { length: 4.5, width: 1.9, rearOverhang: 1.0, minTurningRadius: 5.0 };

export class Footprint {
  readonly shape: VehicleShape;
  /** Circle centres along the vehicle's x axis, metres from the rear axle. */
  readonly offsets: Float64Array;
  /** Radius of every covering circle plus the safety margin. */
  readonly radius: number;
  /** Offset and radius of one circle covering the whole car (+ margin), for a quick accept. */
  readonly outerOffset: number;
  readonly outerRadius: number;
  /** Half the width plus the margin: the least clearance any point of the car's centre line needs. */
  readonly innerRadius: number;

  constructor(shape: VehicleShape, margin = 0.1, circles = 4) {
    for (const k of ['length', 'width', 'minTurningRadius'] as const) {
      if (!(shape[k] > 0) || !Number.isFinite(shape[k])) throw new RangeError(`vehicle ${k} must be positive, got ${shape[k]}`);
    }
    if (!(shape.rearOverhang >= 0 && shape.rearOverhang <= shape.length)) {
      throw new RangeError(`vehicle rearOverhang must be within [0, length], got ${shape.rearOverhang}`);
    }
    this.shape = shape;
    const n = Math.max(1, circles | 0);
    const half = shape.length / (2 * n);
    this.offsets = new Float64Array(n);
    for (let i = 0; i < n; i++) this.offsets[i] = -shape.rearOverhang + half * (2 * i + 1);
    this.radius = Math.hypot(half, shape.width / 2) + margin;
    this.outerOffset = shape.length / 2 - shape.rearOverhang;
    this.outerRadius = Math.hypot(shape.length / 2, shape.width / 2) + margin;
    this.innerRadius = shape.width / 2 + margin;
    this.reach = Math.hypot(Math.max(shape.rearOverhang, shape.length - shape.rearOverhang), shape.width / 2);
  }

  /**
   * The point midway between the two middle circles (the car's centre for an even count) and the
   * clearance it is guaranteed to have whenever the circles are free: the radius of the lens two
   * neighbouring circles share there. The planner's obstacle heuristic works on this point.
   */
  get centreOffset(): number {
    const n = this.offsets.length;
    return n % 2 === 0 ? (this.offsets[n / 2 - 1] + this.offsets[n / 2]) / 2 : this.offsets[(n - 1) / 2];
  }

  get centreClearance(): number {
    const half = this.shape.length / (2 * this.offsets.length);
    return this.offsets.length % 2 === 0 ? Math.sqrt(Math.max(0, this.radius * this.radius - half * half)) : this.radius;
  }

  /** Metres the rear axle may drive (on arcs of at least the minimum radius) from this pose with no collision check. */
  freeTravel(map: Costmap, x: number, y: number, yaw: number): number {
    const m = this.margin(map, x, y, yaw);
    return m > 0 ? m / (1 + this.reach / this.shape.minTurningRadius) : 0;
  }

  /** True when the car at (x, y, yaw) in grid-frame metres touches a lethal cell or leaves the map. */
  collides(map: Costmap, x: number, y: number, yaw: number): boolean {
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    const res = map.resolution;
    const w = map.width;
    const h = map.height;
    const clearance = map.clearance;
    // Quick accept: one circle around the whole car.
    {
      const cx = Math.floor((x + this.outerOffset * c) / res);
      const cy = Math.floor((y + this.outerOffset * s) / res);
      if (cx >= 0 && cy >= 0 && cx < w && cy < h && clearance[cy * w + cx] >= this.outerRadius) return false;
    }
    const offs = this.offsets;
    const r = this.radius;
    for (let i = 0; i < offs.length; i++) {
      const cx = Math.floor((x + offs[i] * c) / res);
      const cy = Math.floor((y + offs[i] * s) / res);
      if (cx < 0 || cy < 0 || cx >= w || cy >= h) return true;
      if (clearance[cy * w + cx] < r) return true;
    }
    return false;
  }

  /**
   * How far any point of the car is from colliding, as a lower bound: least clearance minus
   * circle radius over the circles (negative = collision, -Infinity = off the map). Moving the
   * rear axle by d along an arc of radius >= R moves no point of the car more than
   * d * (1 + reach / R), so a margin m leaves room for m / (1 + reach / R) metres of driving.
   */
  readonly reach: number;

  /** Least clearance margin (clearance - circle radius) over the circles; negative = collision. */
  margin(map: Costmap, x: number, y: number, yaw: number): number {
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    let least = Infinity;
    for (let i = 0; i < this.offsets.length; i++) {
      const m = map.clearanceAt(x + this.offsets[i] * c, y + this.offsets[i] * s) - this.radius;
      if (m < least) least = m;
    }
    return least;
  }
}
