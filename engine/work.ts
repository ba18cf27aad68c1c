/**
 * The item that travels through the engine's stages: one input frame and what the stages
 * have made of it so far. Stages fill it in; a stage that fails sets `failure` and later
 * stages pass the item through untouched, so every frame still yields exactly one result.
 */
import type { Diagnostic, FrameResult, OccupancyGrid, Plan, Pose2, Segmentation, SensorFrame } from '../types/index.js';
import type { RgbImage } from './perception/decode.js';
import type { FreeSpaceEvidence } from './occupancy/free-space.js';
import type { StereoCheck } from './occupancy/stereo-ground.js';
import type { StereoRoad } from './occupancy/stereo-road.js';

export interface FrameWork {
  /** Arrival order of the frame at the engine (0, 1, 2, ...). */
  seq: number;
  /** Order among the frames admitted into the pipeline (dropped frames get none). */
  admitted: number;
  frame: SensorFrame;
  /** performance.now() when the frame was admitted. */
  startedAt: number;
  rgb?: RgbImage;
  /** The stereo pair's right image, until the stereo check has used it. */
  rightRgb?: RgbImage;
  /** The stereo ground check, at the image's size. */
  stereo?: StereoCheck;
  /** The road stereo fitted: the vehicle's roll and pitch against it, its plane (project stage). */
  stereoRoad?: StereoRoad;
  /** The stereo check's pixels the walk may cross (flat, near the fitted road), at the image's size. */
  walkable?: Uint8Array;
  segmentation?: Segmentation;
  evidence?: FreeSpaceEvidence;
  ego?: Pose2;
  grid?: OccupancyGrid;
  plan?: Plan;
  timings: Record<string, number>;
  diagnostics: Diagnostic[];
  failure?: { stage: string; reason: string };
}

export function errorText(err: unknown): string {
  return String((err as Error)?.message ?? err);
}

/** Runs one stage step on the item, timing it and turning an exception into a failure. */
export async function runStep(work: FrameWork, stage: string, step: (w: FrameWork) => unknown): Promise<FrameWork> {
  if (work.failure) return work;
  const t0 = performance.now();
  try {
    await step(work);
  } catch (err) {
    work.failure = { stage, reason: `${stage}: ${errorText(err)}` };
    work.diagnostics.push({ level: 'error', stage, message: errorText(err) });
  }
  work.timings[stage] = performance.now() - t0;
  return work;
}

/** Synchronous variant (stages that never wait). */
export function runStepSync(work: FrameWork, stage: string, step: (w: FrameWork) => void): FrameWork {
  if (work.failure) return work;
  const t0 = performance.now();
  try {
    step(work);
  } catch (err) {
    work.failure = { stage, reason: `${stage}: ${errorText(err)}` };
    work.diagnostics.push({ level: 'error', stage, message: errorText(err) });
  }
  work.timings[stage] = performance.now() - t0;
  return work;
}

export interface ResultOptions {
  /** Keep the input frame (its image) in the result. */
  keepFrame: boolean;
}

export function toFrameResult(work: FrameWork, opts: ResultOptions): FrameResult {
  const timings = { ...work.timings, total: performance.now() - work.startedAt };
  const result: FrameResult = {
    timeNs: work.frame.timeNs,
    index: work.frame.index,
    status: work.failure ? 'failed' : 'processed',
    timings,
    diagnostics: work.diagnostics,
  };
  if (work.failure) result.reason = work.failure.reason;
  if (opts.keepFrame) result.frame = work.frame;
  if (work.segmentation) result.segmentation = work.segmentation;
  if (work.stereo) {
    const { width, height } = work.stereo;
    const mask = work.walkable ?? work.stereo.mask;
    const road = work.stereoRoad;
    result.stereoGround = road ? { width, height, mask, road: { roll: road.roll, pitch: road.pitch } } : { width, height, mask };
  }
  if (work.grid) result.grid = work.grid;
  if (work.plan) result.plan = work.plan;
  return result;
}

export function droppedResult(frame: SensorFrame, reason: string, keepFrame: boolean): FrameResult {
  const result: FrameResult = {
    timeNs: frame.timeNs,
    index: frame.index,
    status: 'dropped',
    reason,
    timings: {},
    diagnostics: [{ level: 'warn', stage: 'schedule', message: reason }],
  };
  if (keepFrame) result.frame = frame;
  return result;
}
