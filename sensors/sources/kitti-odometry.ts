/**
 * KITTI odometry sequence folder as a frame source:
 *
 *   <seq>/image_0/NNNNNN.png   left grayscale camera (required)
 *   <seq>/calib.txt            P0 (labelled or bare lines)
 *   <seq>/poses.txt            ground-truth poses, one line per frame (used when present)
 *   <seq>/times.txt            seconds from the sequence start, one line per frame (optional)
 *
 * Without times.txt (as in some copies of the data) frames are stamped at a synthetic 10 Hz,
 * the odometry benchmark's nominal rate, starting at time 0.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CameraCalibration, Pose3, TimeNs } from '../../types/index.js';
import { secondsToNs } from '../../types/time.js';
import { kittiOdometryCalibration, kittiOdometryPoses } from '../kitti-calib.js';
import type { FrameSource, SourceItem } from './frame-source.js';
import { loadImage } from './load-image.js';
import { prefetched } from './prefetch.js';
import { matchStreams, type IndexedStream } from './stream-match.js';

export const KITTI_ODOMETRY_SYNTHETIC_HZ = 10;

export interface KittiOdometryOptions {
  /** Camera folder (default image_0). */
  camera?: string;
}

function parseTimes(file: string): TimeNs[] {
  const out: TimeNs[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      const s = Number(line);
      if (!Number.isFinite(s) || s < 0) throw new Error(`${file}:${i + 1}: "${line}" is not a time in seconds`);
      out.push(secondsToNs(s));
    });
  return out;
}

export async function openKittiOdometry(sequenceDir: string, opts: KittiOdometryOptions = {}): Promise<FrameSource> {
  const seq = resolve(sequenceDir);
  const camera = opts.camera ?? 'image_0';
  const imageDir = join(seq, camera);
  let names: string[];
  try {
    names = readdirSync(imageDir);
  } catch {
    throw new Error(`${imageDir}: KITTI odometry image folder not found`);
  }
  const files = new Map<number, string>();
  for (const n of names) {
    const m = /^(\d+)\.png$/i.exec(n);
    if (m) files.set(Number(m[1]), join(imageDir, n));
  }
  if (files.size === 0) throw new Error(`${imageDir}: no PNG images (empty folder)`);
  const calibPath = join(seq, 'calib.txt');
  if (!existsSync(calibPath)) throw new Error(`${calibPath}: calibration file not found`);

  const posesPath = join(seq, 'poses.txt');
  const poses: Pose3[] | undefined = existsSync(posesPath) ? kittiOdometryPoses(posesPath) : undefined;
  const timesPath = join(seq, 'times.txt');
  const times = existsSync(timesPath) ? parseTimes(timesPath) : undefined;
  const warnings: string[] = [];
  if (!times) warnings.push(`${seq}: no times.txt; frames stamped at a synthetic ${KITTI_ODOMETRY_SYNTHETIC_HZ} Hz from time 0`);
  if (!poses) warnings.push(`${seq}: no poses.txt; frames carry no ego pose`);

  const sortedIndices = [...files.keys()].sort((a, b) => a - b);
  const range = (n: number) => [...Array(n).keys()];
  const others: IndexedStream[] = [];
  if (poses) others.push({ name: 'poses.txt', indices: range(poses.length) });
  if (times) others.push({ name: 'times.txt', indices: range(times.length) });
  const matched = matchStreams(seq, { name: camera, indices: sortedIndices }, others);
  warnings.push(...matched.warnings);
  const indices = matched.indices;
  const timeOf = (i: number): TimeNs => (times ? times[i] : (BigInt(i) * 1_000_000_000n) / BigInt(KITTI_ODOMETRY_SYNTHETIC_HZ));

  const calibCache = new Map<string, CameraCalibration>();
  const calibFor = (w: number, h: number): CameraCalibration => {
    const key = `${w}x${h}`;
    let c = calibCache.get(key);
    if (!c) {
      c = { ...kittiOdometryCalibration(calibPath, w, h), cameraId: camera };
      calibCache.set(key, c);
    }
    return c;
  };
  calibFor(1, 1); // parse calib.txt now: a broken file is an error before any work

  async function* items(): AsyncGenerator<SourceItem> {
    const loaded = prefetched(indices, async (index) => ({ index, image: await loadImage(files.get(index)!) }));
    for await (const { index, image } of loaded) {
      const file = files.get(index)!;
      if (!image.ok) {
        yield { kind: 'skipped', skipped: { index, cameraId: camera, file, reason: image.reason } };
        continue;
      }
      const frame = { timeNs: timeOf(index), index, cameraId: camera, image: { format: image.info.format, data: image.data }, calibration: calibFor(image.info.width, image.info.height), source: file };
      yield { kind: 'frame', frame: poses ? { ...frame, egoPose: poses[index] } : frame };
    }
  }

  return {
    description: `KITTI odometry sequence ${basename(seq)}`,
    expectedFrames: indices.length,
    cameraIds: [camera],
    mounts: [],
    warnings,
    items,
  };
}
