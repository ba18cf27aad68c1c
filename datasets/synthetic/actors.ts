/**
 * Things that move: oncoming cars driving the route's other lane, and pedestrians walking the
 * sidewalks of the route's streets. Each actor's pose is a closed-form function of time, so any
 * frame can be rendered on its own (replay, closed loop) with identical results.
 */
import type { Polyline } from './polyline.js';
import { Label, Prisms, Shape, Style } from './prisms.js';
import type { Prng } from './prng.js';
import type { Route } from './route.js';
import { addCar, type Town } from './town.js';

interface PathActor {
  /** Path followed; position = path.poseAt(s(t)). */
  path: Polyline;
  s0: number;
  speed: number;
  /** Walk back and forth between lo and hi (pedestrians) instead of running off the end. */
  pingPong: boolean;
  lo: number;
  hi: number;
  lateral: number;
  /** First prism index and how many prisms the actor has. */
  first: number;
  parts: number;
  /** Heading offset (cars drive the oncoming lane against its direction). */
  yawOffset: number;
}

export interface ActorOptions {
  /** Oncoming cars per 100 m of route. */
  oncomingPer100m?: number;
  /** Pedestrians per 100 m of sidewalk. */
  pedestriansPer100m?: number;
}

const SHIRTS: [number, number, number][] = [
  [40, 45, 70],
  [120, 35, 35],
  [150, 140, 125],
  [50, 70, 50],
  [30, 30, 32],
  [90, 82, 100],
];

export class Actors {
  readonly prisms = new Prisms(256);
  private readonly list: PathActor[] = [];

  constructor(town: Town, route: Route, rng: Prng, options: ActorOptions = {}) {
    const oncoming = route.oncoming.reversed();
    const carRate = options.oncomingPer100m ?? 2.5;
    let s = rng.range(5, 30);
    while (s < oncoming.length) {
      const first = this.prisms.count;
      addCar(this.prisms, rng, 0, 0, 0);
      this.list.push({
        path: oncoming, s0: s, speed: rng.range(5.5, 8.5), pingPong: false, lo: 0, hi: oncoming.length,
        lateral: 0, first, parts: this.prisms.count - first, yawOffset: 0,
      });
      s += rng.range(0.6, 1.4) * (100 / carRate);
    }

    const pedRate = options.pedestriansPer100m ?? 5;
    const roads = town.roads;
    const clear = roads.junctionClear;
    const seen = new Set<number>();
    for (const edgeId of route.edges) {
      if (seen.has(edgeId)) continue;
      seen.add(edgeId);
      const line = roads.edges[edgeId].line;
      for (const side of [1, -1]) {
        const usable = line.length - 2 * clear;
        if (usable <= 0) continue;
        const n = Math.round((usable / 100) * pedRate * rng.range(0.5, 1.5));
        for (let k = 0; k < n; k++) {
          const first = this.prisms.count;
          const height = rng.range(1.55, 1.9);
          this.prisms.add({
            shape: Shape.cylinder, label: Label.pedestrian, style: Style.person, x: 0, y: 0, radius: rng.range(0.22, 0.28),
            zMin: 0, zMax: height, color: rng.pick(SHIRTS), variant: rng.next(),
          });
          const lateral = side * (roads.halfWidth + roads.geometry.sidewalkWidth * rng.range(0.3, 0.75));
          this.list.push({
            path: line, s0: rng.range(clear, line.length - clear), speed: rng.chance(0.2) ? 0 : rng.range(0.9, 1.5) * (rng.chance(0.5) ? 1 : -1),
            pingPong: true, lo: clear, hi: line.length - clear, lateral, first, parts: 1, yawOffset: 0,
          });
        }
      }
    }
    this.update(0);
  }

  get count(): number {
    return this.list.length;
  }

  /** Place every actor at time t (seconds since the start of the drive). */
  update(t: number): void {
    const p = this.prisms;
    for (const a of this.list) {
      let s = a.s0 + a.speed * t;
      let dir = Math.sign(a.speed) || 1;
      if (a.pingPong) {
        const span = a.hi - a.lo;
        let u = (s - a.lo) % (2 * span);
        if (u < 0) u += 2 * span;
        if (u > span) {
          u = 2 * span - u;
          dir = -dir;
        }
        s = a.lo + u;
      }
      const pose = a.path.poseAt(s);
      const yaw = a.path.smoothYawAt(s, 1) + (dir < 0 ? Math.PI : 0) + a.yawOffset;
      const x = pose.x - Math.sin(pose.yaw) * a.lateral;
      const y = pose.y + Math.cos(pose.yaw) * a.lateral;
      // Cars beyond the ends of their path leave the scene (moved far away, not deleted, so indices stay put).
      const gone = !a.pingPong && (s < 0 || s > a.path.length);
      for (let k = 0; k < a.parts; k++) p.place(a.first + k, gone ? 1e7 : x, gone ? 1e7 : y, yaw);
    }
  }
}
