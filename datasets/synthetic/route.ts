/**
 * The ego car's route: a seeded walk through the street graph (no U-turns), with rounded turns
 * at junctions, in the right-hand lane, and a speed profile that respects lateral and
 * longitudinal acceleration limits. Time <-> arc length is tabulated so poses at any time are
 * exact and deterministic.
 */
import type { Pose2 } from '../../types/index.js';
import { Polyline } from './polyline.js';
import type { RoadNetwork } from './road-network.js';
import type { Prng } from './prng.js';

export interface RouteOptions {
  /** Route length to cover (m), beyond the start offset. */
  length: number;
  /** Cruise speed (m/s). */
  cruiseSpeed?: number;
  /** Lateral acceleration limit in turns (m/s^2). */
  maxLateralAccel?: number;
  maxAccel?: number;
  maxDecel?: number;
  /** Radius of the corner rounding at junctions (m). */
  turnRadius?: number;
}

export class Route {
  /** Road centre line followed (before the lane offset). */
  readonly centre: Polyline;
  /** Lane centre the ego drives along. */
  readonly lane: Polyline;
  /** Oncoming lane (same direction as `lane`; traffic on it drives the other way). */
  readonly oncoming: Polyline;
  /** Edge ids walked, in order. */
  readonly edges: number[];
  readonly nodes: number[];
  /** Speed (m/s) and time (s) at every lane vertex. */
  readonly speed: Float64Array;
  readonly time: Float64Array;

  constructor(centre: Polyline, laneWidth: number, nodes: number[], edges: number[], opts: Required<Omit<RouteOptions, 'length' | 'turnRadius'>>) {
    this.centre = centre;
    this.lane = centre.offset(-laneWidth / 2);
    this.oncoming = centre.offset(laneWidth / 2);
    this.nodes = nodes;
    this.edges = edges;
    const lane = this.lane;
    const n = lane.count;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = Math.abs(lane.curvatureAt(lane.cum[i], 3));
      v[i] = Math.min(opts.cruiseSpeed, k > 1e-6 ? Math.sqrt(opts.maxLateralAccel / k) : Infinity);
    }
    // Forward (acceleration) and backward (braking) passes: v^2 = v0^2 + 2 a ds.
    for (let i = 1; i < n; i++) {
      const ds = lane.cum[i] - lane.cum[i - 1];
      v[i] = Math.min(v[i], Math.sqrt(v[i - 1] * v[i - 1] + 2 * opts.maxAccel * ds));
    }
    for (let i = n - 2; i >= 0; i--) {
      const ds = lane.cum[i + 1] - lane.cum[i];
      v[i] = Math.min(v[i], Math.sqrt(v[i + 1] * v[i + 1] + 2 * opts.maxDecel * ds));
    }
    const t = new Float64Array(n);
    for (let i = 1; i < n; i++) {
      const ds = lane.cum[i] - lane.cum[i - 1];
      t[i] = t[i - 1] + (2 * ds) / (v[i] + v[i - 1]);
    }
    this.speed = v;
    this.time = t;
  }

  get length(): number {
    return this.lane.length;
  }

  get duration(): number {
    return this.time[this.time.length - 1];
  }

  /** Arc length along the lane reached at time t (s) after leaving the lane's start. */
  arcLengthAt(t: number): number {
    const time = this.time;
    const n = time.length;
    if (t <= 0) return 0;
    if (t >= time[n - 1]) return this.lane.length;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (time[mid] <= t) lo = mid;
      else hi = mid;
    }
    // Constant acceleration within a step: s = v0 dt + a dt^2 / 2.
    const dt = t - time[lo];
    const span = time[hi] - time[lo];
    const v0 = this.speed[lo];
    const a = span > 0 ? (this.speed[hi] - v0) / span : 0;
    return this.lane.cum[lo] + v0 * dt + 0.5 * a * dt * dt;
  }

  /** Time (s) at which the lane's arc length s is reached. */
  timeAt(s: number): number {
    const i = this.lane.segmentAt(s);
    const ds = this.lane.cum[i + 1] - this.lane.cum[i];
    const f = ds > 0 ? (s - this.lane.cum[i]) / ds : 0;
    return this.time[i] + f * (this.time[i + 1] - this.time[i]);
  }

  speedAt(s: number): number {
    const i = this.lane.segmentAt(s);
    const ds = this.lane.cum[i + 1] - this.lane.cum[i];
    const f = ds > 0 ? Math.min(1, Math.max(0, (s - this.lane.cum[i]) / ds)) : 0;
    return this.speed[i] + f * (this.speed[i + 1] - this.speed[i]);
  }

  /** Ego pose (rear-axle-free: the vehicle frame origin) at arc length s. */
  poseAtS(s: number): Pose2 {
    const p = this.lane.poseAt(s);
    return { x: p.x, y: p.y, yaw: this.lane.smoothYawAt(s, 0.75) };
  }
}

/** A seeded route of at least `length` metres through the network. */
export function planRoute(roads: RoadNetwork, rng: Prng, options: RouteOptions): Route {
  if (!(options.length > 0)) throw new RangeError(`route length must be positive (got ${options.length})`);
  const turnRadius = options.turnRadius ?? 9;
  // Start at a node away from the border when possible, so the walk does not hug the edge.
  const start = rng.int(0, roads.nodes.length - 1);
  const nodes = [start];
  const edges: number[] = [];
  let node = start;
  let prevEdge = -1;
  let total = 0;
  const target = options.length + 2 * turnRadius + 20;
  while (total < target) {
    const choices = roads.nodes[node].edges.filter((e) => e !== prevEdge);
    if (choices.length === 0) throw new Error(`route: node ${node} is a dead end`);
    // Prefer going straight-ish half the time: pick the least turning edge.
    let edge: number;
    if (prevEdge >= 0 && rng.chance(0.5)) {
      const inYaw = headingInto(roads, prevEdge, node);
      edge = choices.reduce((best, e) => (Math.abs(turnAngle(inYaw, headingOut(roads, e, node))) < Math.abs(turnAngle(inYaw, headingOut(roads, best, node))) ? e : best));
    } else {
      edge = rng.pick(choices);
    }
    edges.push(edge);
    node = roads.otherEnd(edge, node);
    nodes.push(node);
    total += roads.edges[edge].line.length;
    prevEdge = edge;
  }
  const centre = roundedCentreLine(roads, nodes, edges, turnRadius).resample(0.5);
  return new Route(centre, roads.geometry.laneWidth, nodes, edges, {
    cruiseSpeed: options.cruiseSpeed ?? 8.5,
    maxLateralAccel: options.maxLateralAccel ?? 1.8,
    maxAccel: options.maxAccel ?? 1.2,
    maxDecel: options.maxDecel ?? 1.5,
  });
}

function headingOut(roads: RoadNetwork, edge: number, node: number): number {
  const l = roads.lineFrom(edge, node);
  const p = l.poseAt(Math.min(6, l.length));
  return Math.atan2(p.y - l.ys[0], p.x - l.xs[0]);
}

function headingInto(roads: RoadNetwork, edge: number, node: number): number {
  // Direction of travel arriving at the node: the reverse of leaving it along the same edge.
  return headingOut(roads, edge, node) + Math.PI;
}

function turnAngle(a: number, b: number): number {
  let d = b - a;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

/** Concatenate the walked edges' centre lines and round each junction corner with a quadratic Bezier. */
function roundedCentreLine(roads: RoadNetwork, nodes: number[], edges: number[], r: number): Polyline {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < edges.length; k++) {
    const line = roads.lineFrom(edges[k], nodes[k]);
    const sFrom = k === 0 ? 0 : r;
    const sTo = k === edges.length - 1 ? line.length : line.length - r;
    const steps = Math.max(1, Math.ceil((sTo - sFrom) / 1));
    for (let i = 0; i <= steps; i++) {
      const p = line.poseAt(sFrom + ((sTo - sFrom) * i) / steps);
      xs.push(p.x);
      ys.push(p.y);
    }
    if (k + 1 < edges.length) {
      // Corner: from r before the node to r after it, control point at the node.
      const next = roads.lineFrom(edges[k + 1], nodes[k + 1]);
      const a = line.poseAt(line.length - r);
      const b = next.poseAt(r);
      const cx = line.xs[line.count - 1];
      const cy = line.ys[line.count - 1];
      for (let i = 1; i < 16; i++) {
        const t = i / 16;
        const u = 1 - t;
        xs.push(u * u * a.x + 2 * u * t * cx + t * t * b.x);
        ys.push(u * u * a.y + 2 * u * t * cy + t * t * b.y);
      }
    }
  }
  return new Polyline(xs, ys);
}
