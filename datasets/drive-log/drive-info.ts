/**
 * What `grokdrive info` prints: duration, messages per topic, cameras with image size and
 * intrinsics, and the extent of the ego path. Counts come from the summary; cameras read one
 * calibration message each; the path reads the ego-pose topic only.
 */
import sharp from 'sharp';
import { topics } from '../../types/topics.js';
import { DriveReader } from './reader.js';
import { compressedImageFromFoxglove, transformFromFoxglove, type FoxgloveObject } from './foxglove-convert.js';

export interface CameraInfo {
  cameraId: string;
  frames: number;
  /** Size of the calibration and of the first stored image (they should agree). */
  width: number;
  height: number;
  imageWidth?: number;
  imageHeight?: number;
  imageFormat?: string;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  distortion: number[];
}

export interface PoseExtent {
  count: number;
  min: { x: number; y: number; z: number };
  max: { x: number; y: number; z: number };
  /** Sum of straight segments between successive poses, metres. */
  pathLengthM: number;
}

export interface DriveInfo {
  path: string;
  complete: boolean;
  incompleteBecause?: string;
  startNs: bigint;
  endNs: bigint;
  durationS: number;
  topics: { topic: string; schemaName: string; messageCount: number; rateHz?: number }[];
  cameras: CameraInfo[];
  egoPath?: PoseExtent;
}

export async function driveInfo(path: string): Promise<DriveInfo> {
  const reader = await DriveReader.open(path);
  try {
    const s = reader.summary();
    const durationS = Number(s.endNs - s.startNs) / 1e9;
    const cameras: CameraInfo[] = [];
    for (const id of reader.cameraIds()) {
      const frames = s.topics.find((t) => t.topic === topics.cameraImage(id))?.messageCount ?? 0;
      const first = await firstMessage(reader, topics.cameraCalibration(id));
      const image = await firstMessage(reader, topics.cameraImage(id));
      const cam: CameraInfo = { cameraId: id, frames, width: 0, height: 0, fx: NaN, fy: NaN, cx: NaN, cy: NaN, distortion: [] };
      if (first) {
        const K = first.K as number[];
        Object.assign(cam, { width: first.width, height: first.height, fx: K[0], fy: K[4], cx: K[2], cy: K[5], distortion: first.D as number[] });
      }
      if (image) {
        const img = compressedImageFromFoxglove(image, `${path} ${topics.cameraImage(id)}`);
        const meta = await sharp(img.data).metadata();
        Object.assign(cam, { imageWidth: meta.width, imageHeight: meta.height, imageFormat: img.format });
      }
      cameras.push(cam);
    }
    let egoPath: PoseExtent | undefined;
    let last: { x: number; y: number; z: number } | undefined;
    for await (const m of reader.messages({ topics: [topics.egoPose] })) {
      const p = transformFromFoxglove(m.message as FoxgloveObject).pose.position;
      if (!egoPath) {
        egoPath = { count: 0, min: { ...p }, max: { ...p }, pathLengthM: 0 };
      } else {
        egoPath.pathLengthM += Math.hypot(p.x - last!.x, p.y - last!.y, p.z - last!.z);
      }
      egoPath.count++;
      for (const k of ['x', 'y', 'z'] as const) {
        egoPath.min[k] = Math.min(egoPath.min[k], p[k]);
        egoPath.max[k] = Math.max(egoPath.max[k], p[k]);
      }
      last = p;
    }
    return {
      path,
      complete: s.complete,
      incompleteBecause: s.incompleteBecause,
      startNs: s.startNs,
      endNs: s.endNs,
      durationS,
      topics: s.topics.map((t) => ({
        topic: t.topic,
        schemaName: t.schemaName,
        messageCount: t.messageCount,
        rateHz: t.messageCount > 2 && durationS > 0 ? (t.messageCount - 1) / durationS : undefined,
      })),
      cameras,
      egoPath,
    };
  } finally {
    await reader.close();
  }
}

async function firstMessage(reader: DriveReader, topic: string): Promise<FoxgloveObject | undefined> {
  for await (const m of reader.messages({ topics: [topic] })) return m.message as FoxgloveObject;
  return undefined;
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '?');

export function formatDriveInfo(info: DriveInfo): string {
  const lines = [`${info.path}${info.complete ? '' : `  (INCOMPLETE: ${info.incompleteBecause})`}`];
  const start = new Date(Number(info.startNs / 1_000_000n)).toISOString();
  lines.push(`duration ${fmt(info.durationS, 3)} s, from ${start} (${info.startNs} ns) to ${info.endNs} ns`);
  lines.push('topics:');
  const w = Math.max(...info.topics.map((t) => t.topic.length), 5);
  for (const t of info.topics) {
    lines.push(`  ${t.topic.padEnd(w)}  ${String(t.messageCount).padStart(6)}  ${t.schemaName}${t.rateHz ? `  ${fmt(t.rateHz, 1)} Hz` : ''}`);
  }
  if (info.cameras.length) lines.push('cameras:');
  for (const c of info.cameras) {
    const size = c.imageWidth !== undefined && (c.imageWidth !== c.width || c.imageHeight !== c.height)
      ? `${c.width}x${c.height} calibration, ${c.imageWidth}x${c.imageHeight} images (MISMATCH)`
      : `${c.width}x${c.height}`;
    const dist = c.distortion.some((d) => d !== 0) ? ` distortion [${c.distortion.map((d) => d.toPrecision(4)).join(', ')}]` : ' no distortion';
    lines.push(`  ${c.cameraId}: ${c.frames} frames ${c.imageFormat ?? ''} ${size}, fx ${fmt(c.fx)} fy ${fmt(c.fy)} cx ${fmt(c.cx)} cy ${fmt(c.cy)}${dist}`);
  }
  if (info.egoPath) {
    const e = info.egoPath;
    lines.push(
      `ego path: ${e.count} poses, ${fmt(e.pathLengthM)} m long, ` +
        `x ${fmt(e.min.x)}..${fmt(e.max.x)} y ${fmt(e.min.y)}..${fmt(e.max.y)} z ${fmt(e.min.z)}..${fmt(e.max.z)} m`,
    );
  } else {
    lines.push('ego path: none');
  }
  return lines.join('\n');
}
