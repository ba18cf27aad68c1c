/**
 * Closed-loop runs over seeded synthetic scenarios with the engine (or the route oracle) as the
 * driver, each recorded as a drive log the visualizer opens: the camera frames as the car saw
 * them, the engine's outputs, the ground truth, and the car's state per step.
 */
import { RESULT_LOG_ZSTD_LEVEL } from '../../datasets/mcap/zstd.js';
import type { ClassInfo, FrameResult } from '../../types/index.js';
import { topics } from '../../types/topics.js';
import { DriveWriter } from '../../datasets/drive-log/writer.js';
import {
  encodeJpeg,
  labelsToFoxglove,
  routeOracle,
  runScenario,
  summariseScenarios,
  type DriverFactory,
  type ScenarioResult,
  type ScenarioSetSummary,
  type StepInfo,
} from '../../datasets/synthetic/index.js';
import { OnnxSegmenter } from '../perception/segmenter.js';
import { createEngine } from '../create-engine.js';
import { writeClassTable, writeFrameResult } from '../replay/result-writer.js';
import { engineDriver, type EngineDriver } from './engine-driver.js';
import { latticePlanFunction } from './lattice-plan.js';
import type { PlanFunction } from '../planning/planner.js';
import { defaultPlanner } from '../planning/default-planner.js';

/** JSON per step: the car's state and what the scenario measured. */
export const SIM_STATE_TOPIC = '/sim/state';
/** JSON once, at the last step: the scenario's ScenarioResult. */
export const SIM_RESULT_TOPIC = '/sim/result';

export interface ClosedLoopOptions {
  seeds: number[];
  seconds?: number;
  width?: number;
  height?: number;
  driver?: 'engine' | 'oracle';
  /** Planner for the engine: a PlanFunction, 'lattice' (lattice-plan.ts, the default) or 'hybrid' (the engine's default Hybrid A*). */
  planner?: PlanFunction | 'lattice' | 'hybrid';
  model?: string;
  /** Occupancy role overrides by class name (default { Pavement: 'ground' }). */
  classRoles?: Readonly<Record<string, ClassInfo['role']>>;
  /** Where to write each scenario's log; no logs without it. */
  logPath?: (seed: number) => string;
  onProgress?: (done: number, total: number, note?: string) => void;
  /** Called as each scenario finishes. */
  onScenario?: (result: ScenarioResult) => void;
}

export interface ClosedLoopReport {
  scenarios: ScenarioResult[];
  summary: ScenarioSetSummary;
  steps: number;
  wallSeconds: number;
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopReport> {
  const seconds = options.seconds ?? 20;
  const fps = 10;
  const driverKind = options.driver ?? 'engine';
  const segmenter = driverKind === 'engine' ? await OnnxSegmenter.load(options.model) : undefined;
  const planner: PlanFunction =
    typeof options.planner === 'function' ? options.planner : options.planner === 'hybrid' ? defaultPlanner() : latticePlanFunction();
  const results: ScenarioResult[] = [];
  // Steps to expect: the finished scenarios' own, and for the rest their mean so far (at
  // first twice the scripted drive's, about what the engine's careful driving takes).
  let stepsFinished = 0;
  const expected = (): number => {
    const perScenario = results.length > 0 ? stepsFinished / results.length : 2 * seconds * fps;
    return Math.max(steps, Math.round(stepsFinished + (options.seeds.length - results.length) * perScenario));
  };
  let steps = 0;
  const t0 = performance.now();
  try {
    for (const seed of options.seeds) {
      let driver: EngineDriver | undefined;
      const writer = options.logPath ? await DriveWriter.create(options.logPath(seed), { compressionLevel: RESULT_LOG_ZSTD_LEVEL }) : undefined;
      try {
        const makeDriver: DriverFactory =
          driverKind === 'oracle'
            ? (world) => routeOracle(world)
            : async () => {
                driver = await engineDriver((goals$) =>
                  createEngine({
                    segmenter,
                    mode: 'replay',
                    concurrency: 1,
                    keepFrames: true,
                    // Class maps at the model's size: the grid needs no more, and it saves the upsampling.
                    segmentationSize: 'model',
                    // The CamVid model often calls the road's edges Pavement: as an obstacle that
                    // puts walls across the lane, so pavement counts as flat ground here.
                    occupancy: { classRoles: options.classRoles ?? { Pavement: 'ground' } },
                    planning: { planner, goals$ },
                  }),
                );
                const d = driver;
                return (frame, goal) => d.drive(frame, goal);
              };
        let wroteClasses = false;
        let lastTime = 0n;
        const record = async (step: StepInfo): Promise<void> => {
          steps++;
          options.onProgress?.(steps, expected(), `seed ${seed}`);
          if (!writer) return;
          const t = step.frame.timeNs;
          lastTime = t;
          if (!wroteClasses && segmenter) {
            await writeClassTable(writer, t, segmenter.classTable);
            wroteClasses = true;
          }
          // The log keeps JPEGs, as a camera would deliver them.
          const jpeg = await encodeJpeg(step.rendered, 90);
          const frame = { ...step.frame, image: { format: 'jpeg' as const, data: jpeg } };
          const out = step.output as Partial<FrameResult>;
          if (out.status) await writeFrameResult(writer, { ...(out as FrameResult), frame });
          else {
            await writer.writeFrame(frame);
            if (out.plan) await writer.writeJson(topics.trajectory, t, { status: out.plan.status, points: out.plan.poses });
          }
          await writer.writeFoxglove(topics.groundTruthSegmentation(frame.cameraId), 'foxglove.RawImage', t, labelsToFoxglove(t, frame.cameraId, step.rendered));
          await writer.writeJson(SIM_STATE_TOPIC, t, {
            t: step.t,
            x: step.state.x,
            y: step.state.y,
            yaw: step.state.yaw,
            speed: step.state.v,
            accel: step.state.accel,
            steer: step.state.steer,
            jerk: step.jerk,
            clearance: Number.isFinite(step.clearance) ? step.clearance : null,
            offRoad: step.offRoad,
            routeProgress: step.routeProgress,
            goal: step.goal,
            braking: step.command.braking ?? null,
          });
        };
        const result = await runScenario({ seed, seconds, width: options.width, height: options.height, fps }, makeDriver, record);
        results.push(result);
        stepsFinished = steps;
        options.onScenario?.(result);
        if (writer) await writer.writeJson(SIM_RESULT_TOPIC, lastTime, result);
      } finally {
        driver?.close();
        await writer?.close();
      }
    }
  } finally {
    await segmenter?.dispose();
  }
  return { scenarios: results, summary: summariseScenarios(results), steps, wallSeconds: (performance.now() - t0) / 1000 };
}
