/**
 * createEngine: camera frames in, one FrameResult per frame out (segmentation, occupancy grid,
 * plan, per-stage timings, diagnostics).
 *
 *   frames -> gate -> decode -> segment -> project -> (frame order) -> fuse -> plan -> results
 *
 * decode and segment run for several frames at once (sharp and onnxruntime work off the main
 * thread, so decoding frame n+1 overlaps inference on frame n); fuse and plan see frames in
 * order. The gate bounds the frames in flight (see scheduling.ts), so memory does not grow
 * with the length of a drive. Unsubscribing stops the source and drops the work in flight.
 */
import { Observable, connect, defer, filter, finalize, isObservable, map, merge, tap } from 'rxjs';
import type { FrameResult, Pose2, SensorFrame } from '../types/index.js';
import type { PoseTrack } from '../sensors/pose.js';
import { OnnxSegmenter } from './perception/segmenter.js';
import { WorkerSegmenter } from './worker/worker-segmenter.js';
import type { Segmenter } from './segmenter.js';
import { OccupancyMapper, type OccupancyOptions } from './occupancy/occupancy-mapper.js';
import type { GroundLut } from './occupancy/ground-lut.js';
import { decodeImage } from './perception/decode.js';
import { eulerFromQuat } from '../sensors/pose.js';
import { latestGate, pullGate, queueGate, type Gate, type GateEvent } from './scheduling.js';
import { decodeStage } from './stages/decode.js';
import { segmentStage } from './stages/segment.js';
import { projectStage } from './stages/project.js';
import { stereoStage, type StereoChecker } from './stages/stereo.js';
import { StereoGround, type StereoGroundOptions } from './occupancy/stereo-ground.js';
import { WorkerStereoGround } from './worker/worker-stereo.js';
import { inOrder } from './stages/order.js';
import { fuseStage } from './stages/fuse.js';
import { planStage } from './stages/plan.js';
import { latestGoals, poseTrackGoals, type GoalSource } from './planning/goals.js';
import type { PlanFunction } from './planning/planner.js';
import { droppedResult, toFrameResult, type FrameWork } from './work.js';

export type EngineMode = 'replay' | 'realtime';

/** onnxruntime threads of a model the engine loads itself (see EngineConfig.threads). */
export const DEFAULT_ENGINE_THREADS = 1;

export interface PlanningConfig {
  /** The planner (grid, start, goal -> Plan). */
  planner: PlanFunction;
  /** Goals from the user: every frame plans to the latest one. */
  goals$?: Observable<Pose2>;
  /** Open-loop replay: the goal is the pose `lookaheadS` seconds later on this track. */
  poseTrack?: PoseTrack;
  /** Seconds ahead on `poseTrack` (default 3). */
  lookaheadS?: number;
}

export interface EngineConfig {
  /**
   * 'replay' (default): every frame is processed, in order. 'realtime': frames that arrive
   * while the engine is busy wait in a one-frame slot; a newer arrival replaces (drops) the
   * waiting one, and the drop is reported as a FrameResult with status 'dropped'.
   */
  mode?: EngineMode;
  /** A segmentation model runner. Without one, `model` (or the committed default) is loaded. */
  segmenter?: Segmenter;
  /** Model manifest path for OnnxSegmenter (default: the committed model). */
  model?: string;
  /**
   * onnxruntime intra-op threads when the engine loads the model (default 1). A second thread
   * shortens one model run only a little, while the other stages (decode, resize, fusion,
   * writing) need that core: on 2 cores one thread gives the higher frame rate.
   */
  threads?: number;
  /**
   * Where the engine runs the model it loads: 'worker' (default) in a worker thread, so the
   * main thread keeps decoding, fusing, planning and writing during inference (onnxruntime-node
   * blocks the calling thread while it runs); 'main' in this thread. 'worker' needs the
   * compiled package (dist/).
   */
  modelThread?: 'worker' | 'main';
  /** Frames in flight at once (default 3 in replay, 2 in realtime). */
  concurrency?: number;
  /** Replay from a push Observable: frames allowed to wait before new ones are dropped (default 64). */
  maxQueue?: number;
  /**
   * Class maps at the model's output size (default: cheapest, and the ground tables adapt to
   * any size) or resampled to the image's size.
   */
  segmentationSize?: 'image' | 'model';
  occupancy?: Partial<OccupancyOptions>;
  /**
   * The stereo ground check for frames that carry a right image (SensorFrame.stereo): its
   * options, or false to ignore right images. Default: on with the default options.
   */
  stereo?: Partial<StereoGroundOptions> | false;
  /**
   * Where the stereo check runs: 'worker' (default; started with the first right image, so
   * an engine that never sees one starts none) or 'main' (this thread; about 8 ms a pair at
   * 397x120 that the other stages then wait for).
   */
  stereoThread?: 'worker' | 'main';
  /** Plan every frame (omit for no planning). */
  planning?: PlanningConfig;
  /** Keep each input frame (with its image) in its FrameResult (default true). */
  keepFrames?: boolean;
}

export type FrameInput = Observable<SensorFrame> | AsyncIterable<SensorFrame>;

export interface Engine {
  readonly mode: EngineMode;
  readonly segmenter: Segmenter;
  /**
   * Runs frames through the engine. Pass an AsyncIterable (e.g. DriveReader.frames()) for a
   * lossless replay at the engine's own pace; an Observable is consumed as it pushes. Each
   * subscription is an independent run with its own occupancy grid.
   */
  run(frames: FrameInput): Observable<FrameResult>;
  /**
   * Gets ready for frames like this one, before the clock starts: decodes it (the codec's first
   * call is slow), runs the model on it at its size and builds the ground tables for its
   * calibration; a stereo frame also starts the stereo worker and checks its pair. Optional:
   * without it the first frames of a run pay for all this (and in realtime mode, frames
   * arriving meanwhile are dropped). Throws what the frame's processing would report.
   */
  prepare(frame: SensorFrame): Promise<void>;
  /** Releases the model if the engine loaded it. */
  dispose(): Promise<void>;
}

type Tagged = { seq: number; result: FrameResult; admitted: boolean };

/** The segmenter createEngine loads when it is given none (`model`, `threads`, `modelThread`). */
export async function loadSegmenter(config: Pick<EngineConfig, 'model' | 'threads' | 'modelThread'> = {}): Promise<Segmenter> {
  const threads = config.threads ?? DEFAULT_ENGINE_THREADS;
  return (config.modelThread ?? 'worker') === 'worker'
    ? WorkerSegmenter.load(config.model, { threads })
    : OnnxSegmenter.load(config.model, { threads });
}

export async function createEngine(config: EngineConfig = {}): Promise<Engine> {
  const mode = config.mode ?? 'replay';
  if (mode !== 'replay' && mode !== 'realtime') throw new RangeError(`engine: mode must be 'replay' or 'realtime', got '${String(mode)}'`);
  const concurrency = config.concurrency ?? (mode === 'replay' ? 3 : 2);
  const maxQueue = config.maxQueue ?? 64;
  const keepFrame = config.keepFrames ?? true;
  const segmentationSize = config.segmentationSize ?? 'model';
  const ownsSegmenter = !config.segmenter;
  const segmenter: Segmenter = config.segmenter ?? (await loadSegmenter(config));
  if (config.planning && typeof config.planning.planner !== 'function') throw new TypeError('engine: planning.planner must be a function');
  if (config.planning && config.planning.goals$ && config.planning.poseTrack) {
    throw new Error('engine: give planning either goals$ or poseTrack, not both');
  }

  const makeGate = (frames: FrameInput): Gate => {
    if (mode === 'realtime') {
      if (!isObservable(frames)) throw new TypeError('engine: realtime mode takes an Observable of frames (a live source)');
      return latestGate(frames, concurrency);
    }
    return isObservable(frames) ? queueGate(frames, concurrency, maxQueue) : pullGate(frames, concurrency);
  };

  const makeGoals = (): GoalSource | undefined => {
    const p = config.planning;
    if (!p) return undefined;
    if (p.goals$) return latestGoals(p.goals$);
    if (p.poseTrack) return poseTrackGoals(p.poseTrack, p.lookaheadS ?? 3);
    return undefined;
  };

  // Checked now: bad options are an error before any frame.
  const stereoOptions = config.stereo === false ? undefined : new StereoGround(config.stereo ?? {}).options;
  if (config.stereoThread !== undefined && config.stereoThread !== 'worker' && config.stereoThread !== 'main') {
    throw new RangeError(`engine: stereoThread must be 'worker' or 'main', got '${String(config.stereoThread)}'`);
  }
  let stereoWorkerStarted: Promise<WorkerStereoGround> | undefined;
  const stereoWorker = () => (stereoWorkerStarted ??= WorkerStereoGround.start(stereoOptions!));

  // Ground tables depend on the calibration only: every run of this engine shares them.
  const groundLuts = new Map<string, GroundLut>();

  return {
    mode,
    segmenter,
    run(frames: FrameInput): Observable<FrameResult> {
      return defer(() => {
        const gate = makeGate(frames);
        const mapper = new OccupancyMapper(config.occupancy, groundLuts);
        // In this thread: a StereoGround per run; in a worker: one for the engine, started on first use.
        let stereo: (() => StereoChecker | Promise<StereoChecker>) | undefined;
        if (stereoOptions && config.stereoThread === 'main') {
          const own = new StereoGround(stereoOptions);
          stereo = () => own;
        } else if (stereoOptions) stereo = stereoWorker;
        const goals = makeGoals();
        const planner = config.planning?.planner;
        const admitted = (events$: Observable<GateEvent>): Observable<Tagged> => {
          let work$ = events$.pipe(
            filter((e): e is Extract<GateEvent, { kind: 'admit' }> => e.kind === 'admit'),
            map((e): FrameWork => ({ seq: e.seq, admitted: e.admitted, frame: e.frame, startedAt: performance.now(), timings: {}, diagnostics: [] })),
            decodeStage(concurrency, { stereo: !!stereo }),
            stereo ? stereoStage(stereo, mapper.options.groundZ, concurrency) : (w$) => w$,
            segmentStage(segmenter, { size: segmentationSize }, concurrency),
            projectStage(mapper),
            inOrder((w) => w.admitted),
            fuseStage(mapper),
          );
          if (planner && goals) work$ = work$.pipe(planStage(planner, goals));
          return work$.pipe(map((w) => ({ seq: w.seq, result: toFrameResult(w, { keepFrame }), admitted: true })));
        };
        const dropped = (events$: Observable<GateEvent>): Observable<Tagged> =>
          events$.pipe(
            filter((e): e is Extract<GateEvent, { kind: 'drop' }> => e.kind === 'drop'),
            map((e) => ({ seq: e.seq, result: droppedResult(e.frame, e.reason, keepFrame), admitted: false })),
          );
        return gate.events$.pipe(
          connect((events$) => merge(dropped(events$), admitted(events$))),
          inOrder((t) => t.seq),
          // The slot frees once the result is out, so the next frame enters after it.
          tap((t) => {
            if (t.admitted) queueMicrotask(() => gate.release());
          }),
          map((t) => t.result),
          finalize(() => goals?.close?.()),
        );
      });
    },
    async prepare(frame: SensorFrame) {
      const where = frame.source ?? `frame ${frame.index}`;
      if (!frame.calibration) throw new Error(`${where}: the frame has no camera calibration`);
      const { rgb, width, height } = await decodeImage(frame.image, where);
      // A stereo frame also starts the stereo worker and builds its rig.
      const warmStereo = async () => {
        if (!frame.stereo || !stereoOptions || config.stereoThread === 'main') return;
        const right = await decodeImage(frame.stereo.image, frame.stereo.source ?? `${where} (right camera)`);
        await (await stereoWorker()).check({ rgb, width, height }, right, frame.calibration, frame.stereo.calibration, frame.groundZ ?? config.occupancy?.groundZ ?? 0);
      };
      await Promise.all([segmenter.prepare?.(width, height), warmStereo()]);
      const size = segmentationSize === 'image' ? { outWidth: width, outHeight: height } : {};
      const seg = await segmenter.segmentRgb(rgb, width, height, frame.timeNs, size);
      const mapper = new OccupancyMapper(config.occupancy, groundLuts);
      const q = frame.egoPose?.orientation;
      mapper.walk(seg, frame.calibration, frame.groundZ ?? mapper.options.groundZ, q ? eulerFromQuat(q) : undefined);
    },
    async dispose() {
      if (ownsSegmenter) await segmenter.dispose?.();
      if (stereoWorkerStarted) await (await stereoWorkerStarted.catch(() => undefined))?.dispose();
    },
  };
}
