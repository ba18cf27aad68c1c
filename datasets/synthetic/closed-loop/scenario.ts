/**
 * One closed-loop scenario: the ego car starts on its route in a seeded town; every step the
 * camera is rendered from the car's current pose, a driver (the engine: perception, occupancy,
 * planning) turns the frame and a goal ahead on the route into a plan, a tracker follows the plan
 * and the car moves. Perception errors therefore change what the car does. Scored in the style
 * of the CARLA leaderboard: route completion times an infraction penalty.
 */
import type { FrameResult, Plan, Pose2, SensorFrame } from '../../../types/index.js';
import { pose3FromPose2 } from '../../../sensors/pose.js';
import { syntheticCalibration } from '../camera-rig.js';
import { frameTimeNs } from '../drive.js';
import { SceneRenderer, type RenderedFrame } from '../renderer.js';
import { SyntheticWorld } from '../world.js';
import type { Polyline } from '../polyline.js';
import { TrajectoryTracker, type TrackerCommand } from './tracker.js';
import { KinematicBicycle, type VehicleState } from './vehicle.js';
import { nearestObstacle, offRoad, type ObstacleKind } from './safety.js';

/** CARLA leaderboard penalty factors per collision. */
export const COLLISION_PENALTY: Record<ObstacleKind, number> = { pedestrian: 0.5, vehicle: 0.6, static: 0.65 };

export interface ScenarioOptions {
  seed: number;
  /** Seconds of driving the scripted car would need for the route (the route's length). */
  seconds?: number;
  fps?: number;
  width?: number;
  height?: number;
  /** How far ahead on the route the goal is set: this many metres plus one second of driving. */
  goalAhead?: number;
  /** Time limit as a multiple of `seconds`, plus 10 s. */
  timeLimitFactor?: number;
  /** Seconds standing still before the scenario is called blocked. */
  blockedAfterS?: number;
}

/** What the driver returns: the engine's FrameResult, or at least a plan. */
export type DriverOutput = Pick<FrameResult, 'plan'> & Partial<FrameResult>;
export type Driver = (frame: SensorFrame, goal: Pose2, tS: number) => Promise<DriverOutput>;

export interface CollisionEvent {
  t: number;
  kind: ObstacleKind;
  /** The other party was a traffic participant (not scenery such as a parked car or a wall). */
  actor: boolean;
  egoSpeed: number;
  /** The ego was moving (> 0.3 m/s) when it touched. */
  egoAtFault: boolean;
}

export interface StepInfo {
  index: number;
  t: number;
  frame: SensorFrame;
  rendered: RenderedFrame;
  output: DriverOutput;
  goal: Pose2;
  state: VehicleState;
  command: TrackerCommand;
  clearance: number;
  offRoad: boolean;
  jerk: number;
  routeProgress: number;
}

export type ScenarioOutcome = 'completed' | 'collision' | 'timeout' | 'blocked';

export interface ScenarioResult {
  seed: number;
  outcome: ScenarioOutcome;
  /** Route metres to drive and metres driven along it. */
  routeLength: number;
  driven: number;
  routeCompletion: number;
  collisions: CollisionEvent[];
  /** Product of the penalties of the ego's collisions. */
  infractionPenalty: number;
  drivingScore: number;
  /** Minimum distance from the body to anything standing (m). */
  minClearance: number;
  /** Largest |d accel / dt| (m/s^3). */
  peakJerk: number;
  offRoadEvents: number;
  offRoadSeconds: number;
  steps: number;
  seconds: number;
  planFailures: number;
  meanSpeed: number;
}

/** Makes the driver for a scenario's world (the engine ignores the world; the route oracle reads it). */
export type DriverFactory = (world: SyntheticWorld) => Driver | Promise<Driver>;

export async function runScenario(options: ScenarioOptions, makeDriver: DriverFactory, onStep?: (step: StepInfo) => Promise<void> | void): Promise<ScenarioResult> {
  const seconds = options.seconds ?? 20;
  const fps = options.fps ?? 10;
  const dt = 1 / fps;
  const goalAhead = options.goalAhead ?? 10;
  const world = new SyntheticWorld({ seed: options.seed, seconds, lookAhead: goalAhead + 60 });
  const calib = syntheticCalibration(options.width ?? 320, options.height ?? 240);
  const renderer = new SceneRenderer(calib);
  const route = world.route;
  const lane = route.lane;
  const s0 = world.egoArcLength(0);
  const routeLength = world.egoArcLength(seconds) - s0;
  const sEnd = s0 + routeLength;
  const limitS = seconds * (options.timeLimitFactor ?? 2) + 10;
  const blockedAfter = options.blockedAfterS ?? 12;

  const driver = await makeDriver(world);
  // The car starts standing at the start of its route.
  const car = new KinematicBicycle(world.egoPose(0), 0);
  const tracker = new TrajectoryTracker(car.params);
  const collisions: CollisionEvent[] = [];
  let minClearance = Infinity;
  let peakJerk = 0;
  let offRoadEvents = 0;
  let offRoadSteps = 0;
  let wasOffRoad = false;
  let progress = s0;
  let stillSince = 0;
  let planFailures = 0;
  let speedSum = 0;
  let outcome: ScenarioOutcome = 'timeout';
  let k = 0;

  for (; ; k++) {
    const t = k * dt;
    world.setTime(t);
    const pose: Pose2 = { x: car.state.x, y: car.state.y, yaw: car.state.yaw };
    const rendered = renderer.render(world.town, world.actors.prisms, pose, k);
    const frame: SensorFrame = {
      timeNs: frameTimeNs(k, fps),
      index: k,
      cameraId: calib.cameraId,
      image: { format: 'rgb8', width: calib.width, height: calib.height, data: rendered.rgb },
      calibration: calib,
      egoPose: pose3FromPose2(pose),
      groundZ: 0,
      source: `closed loop seed ${options.seed} step ${k}`,
    };
    const goal = route.poseAtS(Math.min(progress + goalDistance(lane, progress, goalAhead + car.state.v), lane.length));
    const output = await driver(frame, goal, t);
    if (!output.plan || output.plan.status !== 'ok') planFailures++;
    tracker.offer(output.plan as Plan | undefined, t);
    const command = tracker.command(car.state, t);
    const accelBefore = car.state.accel;
    car.step(command.accel, command.steer, dt);
    const jerk = k > 0 ? Math.abs(car.state.accel - accelBefore) / dt : 0;
    peakJerk = Math.max(peakJerk, jerk);
    speedSum += car.state.v;

    // The world after the step: the actors move on too.
    world.setTime(t + dt);
    const body = car.footprint();
    const near = nearestObstacle(world.town, world.actors.prisms, body);
    const clearance = near ? near.distance : Infinity;
    minClearance = Math.min(minClearance, clearance);
    const off = offRoad(world.town, body);
    if (off) offRoadSteps++;
    if (off && !wasOffRoad) offRoadEvents++;
    wasOffRoad = off;
    // Progress along the route: the nearest lane point, searched near the last one.
    const proj = lane.project(car.state.x, car.state.y);
    if (proj.s > progress && proj.s < progress + 10) progress = proj.s;

    await onStep?.({ index: k, t, frame, rendered, output, goal, state: { ...car.state }, command, clearance, offRoad: off, jerk, routeProgress: progress - s0 });

    if (near && near.distance === 0) {
      collisions.push({ t: t + dt, kind: near.kind, actor: near.actor, egoSpeed: car.state.v, egoAtFault: car.state.v > 0.3 });
      outcome = 'collision';
      break;
    }
    if (progress >= sEnd) {
      outcome = 'completed';
      break;
    }
    if (car.state.v < 0.1) {
      if (t + dt - stillSince >= blockedAfter) {
        outcome = 'blocked';
        break;
      }
    } else {
      stillSince = t + dt;
    }
    if (t + dt >= limitS) {
      outcome = 'timeout';
      break;
    }
  }

  const driven = Math.min(routeLength, progress - s0);
  const routeCompletion = routeLength > 0 ? driven / routeLength : 1;
  const infractionPenalty = collisions.filter((c) => c.egoAtFault).reduce((p, c) => p * COLLISION_PENALTY[c.kind], 1);
  const steps = k + 1;
  return {
    seed: options.seed,
    outcome,
    routeLength,
    driven,
    routeCompletion,
    collisions,
    infractionPenalty,
    drivingScore: routeCompletion * infractionPenalty,
    minClearance,
    peakJerk,
    offRoadEvents,
    offRoadSeconds: offRoadSteps * dt,
    steps,
    seconds: steps * dt,
    planFailures,
    meanSpeed: speedSum / steps,
  };
}

/**
 * How far ahead to put the goal: `wanted` metres, shortened before bends so the straight chord to
 * the goal stays within 0.35 m of the route (a far goal beyond a bend pulls a planner across the
 * corner, into the other lane).
 */
function goalDistance(lane: Polyline, s: number, wanted: number): number {
  let d = wanted;
  const a = lane.poseAt(s);
  for (; d > 6; d -= 1) {
    const b = lane.poseAt(s + d);
    const cx = b.x - a.x;
    const cy = b.y - a.y;
    const len = Math.hypot(cx, cy) || 1;
    let worst = 0;
    for (let k = 1; k < d; k += 1) {
      const p = lane.poseAt(s + k);
      worst = Math.max(worst, Math.abs((cx * (p.y - a.y) - cy * (p.x - a.x)) / len));
    }
    if (worst <= 0.35) break;
  }
  return d;
}

export interface ScenarioSetSummary {
  scenarios: number;
  /** Mean driving score, route completion and penalty over the scenarios (0..1). */
  drivingScore: number;
  routeCompletion: number;
  infractionPenalty: number;
  completed: number;
  collisions: number;
  egoAtFaultCollisions: number;
  offRoadEvents: number;
  minClearance: number;
  peakJerk: number;
  failures: { seed: number; outcome: ScenarioOutcome; routeCompletion: number; detail: string }[];
}

export function summariseScenarios(results: ScenarioResult[]): ScenarioSetSummary {
  const n = results.length;
  const mean = (f: (r: ScenarioResult) => number): number => (n ? results.reduce((s, r) => s + f(r), 0) / n : 0);
  return {
    scenarios: n,
    drivingScore: mean((r) => r.drivingScore),
    routeCompletion: mean((r) => r.routeCompletion),
    infractionPenalty: mean((r) => r.infractionPenalty),
    completed: results.filter((r) => r.outcome === 'completed').length,
    collisions: results.reduce((s, r) => s + r.collisions.length, 0),
    egoAtFaultCollisions: results.reduce((s, r) => s + r.collisions.filter((c) => c.egoAtFault).length, 0),
    offRoadEvents: results.reduce((s, r) => s + r.offRoadEvents, 0),
    minClearance: Math.min(...results.map((r) => r.minClearance)),
    peakJerk: Math.max(0, ...results.map((r) => r.peakJerk)),
    failures: results
      .filter((r) => r.outcome !== 'completed')
      .map((r) => ({
        seed: r.seed,
        outcome: r.outcome,
        routeCompletion: r.routeCompletion,
        detail:
          r.outcome === 'collision'
            ? `hit ${describe(r.collisions[0])} at ${r.collisions[0].egoSpeed.toFixed(1)} m/s after ${r.collisions[0].t.toFixed(1)} s`
            : r.outcome === 'blocked'
              ? `stood still ${r.seconds.toFixed(0)} s into the run (${r.planFailures} of ${r.steps} plans failed)`
              : `ran out of time after ${r.seconds.toFixed(0)} s (${r.planFailures} of ${r.steps} plans failed)`,
      })),
  };
}

function describe(c: CollisionEvent): string {
  if (c.kind === 'pedestrian') return 'a pedestrian';
  if (c.kind === 'vehicle') return c.actor ? 'a car in traffic' : 'a parked car';
  return 'a static obstacle';
}
