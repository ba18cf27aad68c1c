/**
 * A synthetic scenario: the seeded town, the ego car's route and speed profile, and the moving
 * actors. Everything at time t is a pure function of (seed, options, t).
 */
import type { Pose2 } from '../../types/index.js';
import { Actors, type ActorOptions } from './actors.js';
import { Prng } from './prng.js';
import { Route, planRoute } from './route.js';
import { generateTown, type Town, type TownOptions } from './town.js';

export interface WorldOptions {
  seed: number;
  /** Seconds of driving the route must cover (plus look-ahead). */
  seconds: number;
  town?: TownOptions;
  actors?: ActorOptions;
  cruiseSpeed?: number;
  /** Route metres kept beyond the drive's end, for goals ahead of the last frame. */
  lookAhead?: number;
}

export class SyntheticWorld {
  readonly seed: number;
  readonly town: Town;
  readonly route: Route;
  readonly actors: Actors;
  /** Arc length on the route lane where the ego starts (oncoming traffic has room behind). */
  readonly startS: number;
  private readonly startTime: number;

  constructor(options: WorldOptions) {
    const { seed, seconds } = options;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32) (got ${seed})`);
    if (!(seconds > 0 && Number.isFinite(seconds))) throw new RangeError(`seconds must be a positive number (got ${seconds})`);
    const rng = new Prng(seed, 17);
    this.seed = seed;
    this.town = generateTown(seed, options.town);
    const cruise = options.cruiseSpeed ?? 8.5;
    this.startS = 25;
    this.route = planRoute(this.town.roads, rng.fork(1), {
      length: this.startS + cruise * seconds + (options.lookAhead ?? 60),
      cruiseSpeed: cruise,
    });
    this.startTime = this.route.timeAt(this.startS);
    this.actors = new Actors(this.town, this.route, rng.fork(2), options.actors);
  }

  /** Route arc length of the scripted ego at drive time t (s). */
  egoArcLength(t: number): number {
    return this.route.arcLengthAt(this.startTime + t);
  }

  /** The scripted ego pose at drive time t (s). */
  egoPose(t: number): Pose2 {
    return this.route.poseAtS(this.egoArcLength(t));
  }

  /** Scripted ego speed (m/s) at drive time t. */
  egoSpeed(t: number): number {
    return this.route.speedAt(this.egoArcLength(t));
  }

  /** Move the actors to drive time t. */
  setTime(t: number): void {
    this.actors.update(t);
  }
}
