/**
 * What the page learns once, when it opens a log: which layers exist, the frame times the
 * timeline steps through, and the small drive-wide series (ego poses, camera calibrations,
 * static transforms, per-frame engine results). Images, grids, plans and point clouds are
 * fetched per frame later.
 */
import { fetchMessages, fetchSummary, type LogSummary } from './api.js';
import {
  readCalibration,
  readFrameResult,
  readFrameTransform,
  type Calibration,
  type FrameResultInfo,
  type Transform,
} from './foxglove.js';
import { compose, identityPose, type Pose } from './pose-math.js';
import { frames as frameIds, topics } from '../../../types/topics.js';

export interface Stamped<T> {
  t: bigint;
  value: T;
}

export interface DriveOverview {
  summary: LogSummary;
  cameras: string[];
  camera: string | null;
  /** The topic whose message times are the timeline's frames. */
  frameTopic: string | null;
  frameTimes: bigint[];
  egoPoses: Stamped<Pose>[];
  calibrations: Stamped<Calibration>[];
  results: Stamped<FrameResultInfo>[];
  staticTransforms: Map<string, Transform>;
  /** Topics present in the log, by role. Absent roles are absent layers. */
  layers: {
    image: string | null;
    segmentation: string | null;
    /** The stereo ground check's mask (replay --stereo). */
    stereoGround: string | null;
    grid: string | null;
    groundTruthGrid: string | null;
    plan: string | null;
    trajectory: string | null;
    lidar: string | null;
  };
  /** Height of the road plane in the vehicle frame (the base_link -> road transform, else 0). */
  groundZ: number;
  /** Names and colours of the segmentation's class indices, when the log has them. */
  classes: SegmentationClass[] | null;
}

export interface SegmentationClass {
  id: number;
  name: string;
  color: [number, number, number];
  role: string;
}

function readClasses(v: unknown): SegmentationClass[] | null {
  const list = (v as { classes?: unknown })?.classes;
  if (!Array.isArray(list)) return null;
  const out: SegmentationClass[] = [];
  for (const c of list as Record<string, unknown>[]) {
    const color = c.color as number[] | undefined;
    if (typeof c.id !== 'number' || !Array.isArray(color) || color.length < 3) continue;
    out.push({ id: c.id, name: String(c.name ?? c.id), color: [color[0]!, color[1]!, color[2]!], role: String(c.role ?? '') });
  }
  return out.length ? out : null;
}

const cameraTopic = /^\/camera\/(.+)\/image$/;

function preferCamera(ids: string[]): string | null {
  if (!ids.length) return null;
  return ids.includes('image_02') ? 'image_02' : [...ids].sort()[0]!;
}

export async function loadOverview(cameraChoice?: string): Promise<DriveOverview> {
  const summary = await fetchSummary();
  const present = new Set(summary.topics.filter((t) => t.messageCount > 0).map((t) => t.topic));
  const has = (t: string) => (present.has(t) ? t : null);
  const cameras = [...present].map((t) => cameraTopic.exec(t)?.[1]).filter((c): c is string => !!c);
  const camera = cameraChoice && cameras.includes(cameraChoice) ? cameraChoice : preferCamera(cameras);
  const calibTopic = camera ? has(topics.cameraCalibration(camera)) : null;

  const wanted = [calibTopic, has(topics.egoPose), has(topics.staticTransforms), has(topics.frameResult), has(topics.segmentationClasses)].filter(
    (t): t is string => !!t,
  );
  const messages = wanted.length ? await fetchMessages(wanted) : [];

  const egoPoses: Stamped<Pose>[] = [];
  const calibrations: Stamped<Calibration>[] = [];
  const results: Stamped<FrameResultInfo>[] = [];
  const staticTransforms = new Map<string, Transform>();
  let classes: SegmentationClass[] | null = null;
  for (const m of messages) {
    if (m.topic === topics.segmentationClasses) classes = readClasses(m.message) ?? classes;
    if (m.topic === topics.egoPose) egoPoses.push({ t: m.logTimeNs, value: readFrameTransform(m.message).pose });
    else if (m.topic === calibTopic) {
      const c = readCalibration(m.message);
      if (c) calibrations.push({ t: m.logTimeNs, value: c });
    } else if (m.topic === topics.frameResult) results.push({ t: m.logTimeNs, value: readFrameResult(m.message) });
    else if (m.topic === topics.staticTransforms) {
      const tf = readFrameTransform(m.message);
      staticTransforms.set(tf.child, tf);
    }
  }

  let frameTopic: string | null = null;
  let frameTimes: bigint[] = [];
  for (const [topic, series] of [
    [calibTopic, calibrations],
    [topics.egoPose, egoPoses],
    [topics.frameResult, results],
  ] as const) {
    if (topic && series.length) {
      frameTopic = topic;
      frameTimes = series.map((s) => s.t);
      break;
    }
  }
  frameTimes = [...new Set(frameTimes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  // REP 103 logs may name the road frame base_footprint; grokdrive's is 'road'.
  const road = staticTransforms.get(frameIds.road) ?? staticTransforms.get('base_footprint');
  return {
    summary,
    cameras,
    camera,
    frameTopic,
    frameTimes,
    egoPoses,
    calibrations,
    results,
    staticTransforms,
    layers: {
      image: camera ? has(topics.cameraImage(camera)) : null,
      segmentation: camera ? has(topics.segmentation(camera)) ?? has(topics.groundTruthSegmentation(camera)) : null,
      stereoGround: camera ? has(topics.stereoGround(camera)) : null,
      grid: has(topics.occupancy),
      groundTruthGrid: has(topics.groundTruthOccupancy),
      plan: has(topics.plan),
      trajectory: has(topics.trajectory),
      lidar: has(topics.lidar),
    },
    groundZ: road && road.parent === frameIds.vehicle ? road.pose.position.z : 0,
    classes,
  };
}

/** Index of the last entry at or before t (binary search), or -1. */
export function indexAtOrBefore<T>(series: readonly Stamped<T>[] | readonly bigint[], t: bigint): number {
  let lo = 0;
  let hi = series.length - 1;
  let best = -1;
  const at = (i: number): bigint => {
    const s = series[i]!;
    return typeof s === 'bigint' ? s : s.t;
  };
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Ego pose at t: the latest pose at or before it (the first pose before the log's first). */
export function egoPoseAt(o: DriveOverview, t: bigint): Pose | null {
  if (!o.egoPoses.length) return null;
  const i = indexAtOrBefore(o.egoPoses, t);
  return o.egoPoses[Math.max(0, i)]!.value;
}

export function calibrationAt(o: DriveOverview, t: bigint): Calibration | null {
  if (!o.calibrations.length) return null;
  const i = indexAtOrBefore(o.calibrations, t);
  return o.calibrations[Math.max(0, i)]!.value;
}

/** Pose of `frameId` in the vehicle frame, following /tf_static up to base_link; null if unknown. */
export function frameInVehicle(o: DriveOverview, frameId: string): Pose | null {
  let pose = identityPose();
  let frame = frameId;
  for (let hops = 0; hops < 8; hops++) {
    if (frame === frameIds.vehicle) return pose;
    const tf = o.staticTransforms.get(frame);
    if (!tf) return null;
    pose = compose(tf.pose, pose);
    frame = tf.parent;
  }
  return null;
}

/** Pose of `frameId` in the world at time t (world, base_link, or a static child of base_link). */
export function frameInWorld(o: DriveOverview, frameId: string, t: bigint): Pose | null {
  if (frameId === frameIds.world || frameId === '') return identityPose();
  const ego = egoPoseAt(o, t);
  if (!ego) return null;
  const inVehicle = frameInVehicle(o, frameId);
  return inVehicle ? compose(ego, inVehicle) : null;
}

/** Status and reason of every plan in the log (from the trajectory JSON topic). */
export async function loadPlanOutcomes(topic: string): Promise<Stamped<{ status: string; reason?: string }>[]> {
  const messages = await fetchMessages([topic]);
  return messages.map((m) => {
    const v = m.message as { status?: unknown; reason?: unknown };
    return { t: m.logTimeNs, value: { status: String(v.status ?? ''), reason: typeof v.reason === 'string' ? v.reason : undefined } };
  });
}
