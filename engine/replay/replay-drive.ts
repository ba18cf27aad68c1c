/**
 * Replays a recorded drive through the engine and records everything in a new drive log:
 * the inputs, every stage's outputs, and a summary (frames processed / dropped / failed,
 * per-stage p50/p95, throughput against real time, open-loop planning metrics).
 *
 * The result log is written frame by frame as results come out (chunked MCAP), so a replay
 * that is killed leaves a readable prefix.
 */
import { Observable, concatMap, defer, from, lastValueFrom } from 'rxjs';
import type { FrameResult, Pose3, SensorFrame } from '../../types/index.js';
import { frames as frameIds, topics } from '../../types/topics.js';
import { nsToSeconds } from '../../types/time.js';
import { PoseTrack } from '../../sensors/pose.js';
import { DriveReader, type DriveMessage } from '../../datasets/drive-log/reader.js';
import { pointCloudFromFoxglove, transformFromFoxglove, type StampedTransform } from '../../datasets/drive-log/foxglove-convert.js';
import { createEngine, loadSegmenter, type EngineConfig, type EngineMode } from '../create-engine.js';
import type { Segmenter } from '../segmenter.js';
import type { PlanFunction } from '../planning/planner.js';
import { StageStats, type StageSummary } from './stage-stats.js';
import { displacementErrors, pathDeviation, type LidarPlanCheck } from './open-loop.js';
import { InThreadResultWriter, ResultLogWriter, type ResultSink } from './result-log-writer.js';
import { stereoPartners } from './stereo-partners.js';

export interface ReplayOptions {
  mode?: EngineMode;
  /** Model manifest (default: the committed model). */
  model?: string;
  /** Camera to replay (default: the first camera of the log). */
  cameraId?: string;
  /**
   * The log's camera that is the rectified right half of a stereo pair with `cameraId`: its
   * images go with the frames for the stereo ground check (about 8 ms a frame at 397x120).
   * 'auto': the first camera of the log whose calibration makes it that, if there is one.
   * Default: none.
   */
  stereoRight?: string;
  /** Extra engine settings (segmenter, occupancy, concurrency ...). */
  engine?: Omit<EngineConfig, 'mode' | 'planning' | 'keepFrames'>;
  /** Planner; without one, frames are not planned. */
  planner?: PlanFunction;
  /** Goal = the ego pose this many seconds later in the log (default 3). */
  lookaheadS?: number;
  /** realtime mode: frames are fed at the log's pace times this factor (default 1). */
  speed?: number;
  onProgress?: (done: number, total: number) => void;
  /** Write the result log from a worker thread (default) or this thread. */
  writerThread?: 'worker' | 'main';
}

export interface ReplaySummary {
  input: string;
  output: string;
  mode: EngineMode;
  camera: string;
  /** The stereo pair's right camera, when one was used. */
  stereoRight?: string;
  /**
   * With stereoRight: processed frames that had their pair checked, and those that had none
   * (no right image at the same time in the log, or one that could not be decoded).
   */
  stereoPairs?: { checked: number; missing: number };
  /** Without stereoRight: the log's cameras that are the rectified right camera of this one (could be stereoRight). */
  stereoAvailable?: string[];
  frames: { total: number; processed: number; dropped: number; failed: number };
  /** Lidar scans that could not be read (left out of the result), with a few reasons. */
  skippedScans: { count: number; examples: string[] };
  /** Failed and dropped frames by stage/reason kind, with a few examples. */
  problems: { status: 'failed' | 'dropped'; stage: string; count: number; examples: { index: number; reason: string }[] }[];
  stages: Record<string, StageSummary>;
  /** Seconds from the first frame in to the last result out. */
  wallSeconds: number;
  /** Seconds before that: opening the log, loading the model, preparing on the first frame. */
  setupSeconds: number;
  driveSeconds: number;
  framesPerSecond: number;
  /** Drive duration / wall time: > 1 is faster than real time. */
  realTimeFactor: number;
  openLoop: {
    horizonS: number;
    plans: number;
    plansOk: number;
    scored: number;
    ade: number;
    fde: number;
    /** Mean distance from plan points to the driven path (geometry only, speeds aside). */
    pathDeviation: number;
    lidarFramesChecked: number;
    plansCrossingOccupied: number;
    /** Plans whose check against their scan could not be made, with a few reasons. */
    lidarChecksFailed: { count: number; examples: string[] };
  };
}

/** Ego poses of the whole log (small: one per frame) for goals and the driven path. */
async function readPoseTrack(reader: DriveReader): Promise<PoseTrack | undefined> {
  const samples: { timeNs: bigint; pose: Pose3 }[] = [];
  for await (const m of reader.messages({ topics: [topics.egoPose] })) {
    const t = transformFromFoxglove(m.message as Record<string, unknown>);
    if (samples.length === 0 || m.logTimeNs > samples[samples.length - 1].timeNs) samples.push({ timeNs: m.logTimeNs, pose: t.pose });
  }
  return samples.length > 0 ? new PoseTrack(samples, `${reader.path} ${topics.egoPose}`) : undefined;
}

/** Later than any log time (MCAP log times are uint64). */
const AFTER_ALL = 2n ** 64n;

/** Frames pushed at the log's pace (realtime replay): a live camera that does not wait. */
function pacedFrames(frames: AsyncIterable<SensorFrame>, speed: number): Observable<SensorFrame> {
  return defer(() => {
    const start = performance.now();
    let first: bigint | undefined;
    return from(frames).pipe(
      concatMap(async (f) => {
        first ??= f.timeNs;
        const due = start + (nsToSeconds(f.timeNs - first) * 1000) / speed;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return f;
      }),
    );
  });
}

export async function replayDrive(inputPath: string, outputPath: string, opts: ReplayOptions = {}): Promise<ReplaySummary> {
  const mode = opts.mode ?? 'replay';
  const horizonS = 3;
  const started = performance.now();
  const reader = await DriveReader.open(inputPath);
  let writer: ResultSink | undefined;
  // The model, when this replay loads it (the engine then does not own it).
  let ownSegmenter: Segmenter | undefined;
  try {
    const cameras = reader.cameraIds();
    const camera = opts.cameraId ?? cameras[0];
    if (!camera) throw new Error(`${inputPath}: the log has no camera images`);
    if (!cameras.includes(camera)) throw new Error(`${inputPath}: no camera '${camera}' (cameras: ${cameras.join(', ')})`);
    if (opts.stereoRight !== undefined && opts.stereoRight !== 'auto' && (opts.stereoRight === camera || !cameras.includes(opts.stereoRight))) {
      throw new Error(`${inputPath}: stereo right camera '${opts.stereoRight}' ${opts.stereoRight === camera ? 'is the replayed camera itself' : `is not in the log (cameras: ${cameras.join(', ')})`}`);
    }
    // Read before the clock starts (the first frames of each camera: the log's first chunk).
    const partners = opts.stereoRight === undefined || opts.stereoRight === 'auto' ? await stereoPartners(reader, camera) : [];
    const stereoRight = opts.stereoRight === 'auto' ? partners[0] : opts.stereoRight;
    const stereoAvailable = stereoRight === undefined ? partners : [];
    const summary = reader.summary();
    const total = summary.topics.find((t) => t.topic === topics.cameraImage(camera))?.messageCount ?? 0;
    const lidarMount = reader.mountAt(frameIds.lidar, summary.startNs);
    const hasLidar = summary.topics.some((t) => t.topic === topics.lidar && t.messageCount > 0);

    // Reading the poses, starting the writer and loading the model overlap (the last two mostly
    // in their own threads). The log is written from a worker thread, beside the engine.
    const engineConfig = { ...opts.engine, model: opts.model ?? opts.engine?.model };
    const writerP = (opts.writerThread ?? 'worker') === 'worker' ? ResultLogWriter.create(outputPath) : InThreadResultWriter.create(outputPath);
    const segmenterP = engineConfig.segmenter ? Promise.resolve(undefined) : loadSegmenter(engineConfig);
    const [poses, opened, loaded] = await Promise.allSettled([readPoseTrack(reader), writerP, segmenterP]);
    // Whatever started is closed in `finally` when another part failed.
    if (opened.status === 'fulfilled') writer = opened.value;
    if (loaded.status === 'fulfilled') ownSegmenter = loaded.value;
    for (const r of [poses, opened, loaded]) if (r.status === 'rejected') throw r.reason;
    const track = (poses as PromiseFulfilledResult<PoseTrack | undefined>).value;
    const out = writer!;

    const engine = await createEngine({
      ...engineConfig,
      segmenter: engineConfig.segmenter ?? ownSegmenter,
      mode,
      keepFrames: true,
      planning: opts.planner && track ? { planner: opts.planner, poseTrack: track, lookaheadS: opts.lookaheadS ?? horizonS } : undefined,
    });
    await out.writeClassTable(summary.startNs, engine.segmenter.classTable);
    // Copy the static transforms that are not camera mounts (the writer adds those per frame).
    for (const t of reader.staticTransforms() as readonly StampedTransform[]) {
      if (t.child !== camera) await out.writeStaticTransform(t.timeNs, t.parent, t.child, t.pose);
    }

    const counts = { total: 0, processed: 0, dropped: 0, failed: 0 };
    const problems = new Map<string, ReplaySummary['problems'][number]>();
    const stats = new StageStats();
    const ol = { plans: 0, plansOk: 0, scored: 0, adeSum: 0, fdeSum: 0, devSum: 0, devN: 0 };
    let firstNs: bigint | undefined;
    let lastNs: bigint | undefined;

    // Scans come in the frames' own pass over the log. Each waits here for the result of the
    // frame taken with it, whose plan is checked against it in the writer's thread; a scan that
    // cannot be read is left out of the result and counted.
    const scans: { timeNs: bigint; xyzi: Float32Array; frameId: string }[] = [];
    const skippedScans: ReplaySummary['skippedScans'] = { count: 0, examples: [] };
    const takeScan = (m: DriveMessage): void => {
      const where = `${inputPath} ${topics.lidar}@${m.logTimeNs}`;
      try {
        scans.push({ timeNs: m.logTimeNs, ...pointCloudFromFoxglove(m.message as Record<string, unknown>, where) });
      } catch (err) {
        skippedScans.count++;
        if (skippedScans.examples.length < 5) skippedScans.examples.push((err as Error).message);
      }
    };
    const writeScansUpTo = async (timeNs: bigint, check?: LidarPlanCheck): Promise<void> => {
      while (scans.length > 0 && scans[0].timeNs <= timeNs) {
        const s = scans.shift()!;
        await out.writeLidar(s.timeNs, s.xyzi, s.frameId, s.timeNs === timeNs ? check : undefined); // the points are handed over
      }
    };
    const lidarCheck = (r: FrameResult): LidarPlanCheck | undefined => {
      const { plan, grid, frame } = r;
      if (plan?.status !== 'ok' || !grid || !lidarMount || !frame?.egoPose) return undefined;
      return {
        plan,
        grid: { origin: grid.origin, resolution: grid.resolution, width: grid.width, height: grid.height },
        lidarToVehicle: lidarMount,
        vehicleToWorld: frame.egoPose,
        groundZ: frame.groundZ ?? 0,
      };
    };

    const stereoPairs = { checked: 0, missing: 0 };
    const record = async (r: FrameResult): Promise<void> => {
      counts.total++;
      counts[r.status]++;
      firstNs ??= r.timeNs;
      lastNs = r.timeNs;
      if (r.status !== 'processed') {
        const stage = r.status === 'dropped' ? 'schedule' : (r.diagnostics.find((d) => d.level === 'error')?.stage ?? 'unknown');
        const key = `${r.status}/${stage}`;
        let p = problems.get(key);
        if (!p) problems.set(key, (p = { status: r.status, stage, count: 0, examples: [] }));
        p.count++;
        if (p.examples.length < 5) p.examples.push({ index: r.index, reason: r.reason ?? r.status });
      } else {
        stats.add(r.timings);
        if (r.stereoGround) stereoPairs.checked++;
        else stereoPairs.missing++;
      }
      if (r.plan) {
        ol.plans++;
        if (r.plan.status === 'ok') ol.plansOk++;
        const e = track ? displacementErrors(r.plan, track, horizonS) : undefined;
        if (e) {
          ol.scored++;
          ol.adeSum += e.ade;
          ol.fdeSum += e.fde;
        }
        const dev = track ? pathDeviation(r.plan, track, (opts.lookaheadS ?? horizonS) + 1) : undefined;
        if (dev !== undefined) {
          ol.devN++;
          ol.devSum += dev;
        }
      }
      await writeScansUpTo(r.timeNs, lidarCheck(r));
      await out.writeResult(r);
      opts.onProgress?.(counts.total, total);
    };

    // The engine gets ready on the first frame (in realtime mode the first frames would otherwise
    // wait for the model and the tables, and be dropped). A first frame that cannot be
    // processed is reported when its turn comes in the run.
    const first = await reader.firstFrame({ cameraIds: [camera], stereoRight });
    if (first) await engine.prepare(first).catch(() => undefined);

    const frames = reader.frames({ cameraIds: [camera], stereoRight, passing: hasLidar ? { topics: [topics.lidar], onMessage: takeScan } : undefined });
    const source = mode === 'realtime' ? pacedFrames(frames, opts.speed ?? 1) : frames;
    const t0 = performance.now();
    try {
      await lastValueFrom(engine.run(source).pipe(concatMap((r) => record(r))), { defaultValue: undefined });
      await writeScansUpTo(AFTER_ALL); // scans taken after the last frame
    } finally {
      await engine.dispose();
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    const lidarChecks = await out.lidarChecks();
    await out.close();
    writer = undefined;

    const driveSeconds = firstNs !== undefined && lastNs !== undefined ? nsToSeconds(lastNs - firstNs) + (counts.total > 1 ? nsToSeconds(lastNs - firstNs) / (counts.total - 1) : 0) : 0;
    return {
      input: inputPath,
      output: outputPath,
      mode,
      camera,
      stereoRight,
      ...(stereoRight ? { stereoPairs } : {}),
      ...(stereoAvailable.length > 0 ? { stereoAvailable } : {}),
      frames: counts,
      problems: [...problems.values()],
      skippedScans,
      stages: stats.summary(),
      wallSeconds,
      setupSeconds: (t0 - started) / 1000,
      driveSeconds,
      framesPerSecond: counts.total / wallSeconds,
      realTimeFactor: driveSeconds / wallSeconds,
      openLoop: {
        horizonS,
        plans: ol.plans,
        plansOk: ol.plansOk,
        scored: ol.scored,
        ade: ol.scored ? ol.adeSum / ol.scored : NaN,
        fde: ol.scored ? ol.fdeSum / ol.scored : NaN,
        pathDeviation: ol.devN ? ol.devSum / ol.devN : NaN,
        lidarFramesChecked: lidarChecks.checked,
        plansCrossingOccupied: lidarChecks.crossing,
        lidarChecksFailed: lidarChecks.failed,
      },
    };
  } finally {
    if (writer) await writer.close().catch(() => undefined);
    await ownSegmenter?.dispose?.();
    await reader.close();
  }
}
