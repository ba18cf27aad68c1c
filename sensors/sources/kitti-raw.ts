/**
 * KITTI raw "sync" drive folder as a frame source.
 *
 *   <date>/calib_cam_to_cam.txt, calib_velo_to_cam.txt, calib_imu_to_velo.txt
 *   <date>/<drive>_sync/image_02/{data/NNNNNNNNNN.png, timestamps.txt}   (required)
 *                       image_03/...                                       (used if present)
 *                       oxts/{data/NNNNNNNNNN.txt, timestamps.txt}         (required)
 *                       velodyne_points/data/NNNNNNNNNN.bin                (used if present)
 *
 * Frame i pairs the files numbered i in every stream and line i of the timestamps files (the
 * velodyne folder may hold only some scans). Every camera frame is stamped with
 * image_02/timestamps.txt: KITTI triggers all cameras together, and image_02's stamps are the
 * camera's own. Lidar scans carry the same frame time. The ego pose is the OXTS pose
 * interpolated at that time (extrapolated at most half a frame period at the ends, where the
 * OXTS samples start a few ms after the first image). The vehicle frame is the OXTS/IMU frame,
 * which sits above the road: frames carry groundZ (about -0.93 m) from the calibration.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CameraCalibration, Pose3, TimeNs } from '../../types/index.js';
import { frames as frameIds } from '../../types/topics.js';
import { kittiRawCalibration } from '../kitti-calib.js';
import { oxtsToPoses, parseKittiTimestamps, parseOxts } from '../oxts.js';
import { interpolatePose3, PoseTrack } from '../pose.js';
import type { FrameSource, SensorMount, SourceItem } from './frame-source.js';
import { checkImage } from './image-check.js';
import { loadImage } from './load-image.js';
import { prefetched } from './prefetch.js';
import { matchStreams, type IndexedStream } from './stream-match.js';

export interface KittiRawOptions {
  /** Folder with the calib_*.txt files (default: the drive folder's parent). */
  calibDir?: string;
  /** Cameras to read (default: image_02, and image_03 when the folder exists). */
  cameras?: readonly string[];
  /** Read velodyne_points when present (default true). */
  lidar?: boolean;
  /**
   * Attach each image_03 frame to the image_02 frame of the same number as its stereo right
   * image (SensorFrame.stereo) instead of yielding it on its own. Needs image_03 among the
   * cameras. Default false.
   */
  stereoPairs?: boolean;
}

/** File number -> path for the files named NNNNNNNNNN.<ext> in a folder. */
function numberedFiles(dir: string, ext: string): Map<number, string> {
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`${dir}: cannot list folder: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
  }
  for (const name of names) {
    const m = /^(\d+)\.(\w+)$/.exec(name);
    if (m && m[2].toLowerCase() === ext) out.set(Number(m[1]), join(dir, name));
  }
  return out;
}

function readTimestamps(file: string): TimeNs[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read timestamps: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  const times = parseKittiTimestamps(text, file);
  if (times.length === 0) throw new Error(`${file}: no timestamps (empty file)`);
  return times;
}

/** Pose at t, extrapolating linearly up to `marginNs` beyond the track's ends. */
function poseAt(track: PoseTrack, t: TimeNs, marginNs: bigint): Pose3 {
  if (track.contains(t) || track.length < 2) return track.at(t);
  const n = track.length;
  const [i0, i1] = t < track.startNs ? [0, 1] : [n - 2, n - 1];
  const gap = t < track.startNs ? track.startNs - t : t - track.endNs;
  if (gap > marginNs) return track.at(t); // throws the track's own clear error
  const t0 = track.times[i0];
  const f = Number(t - t0) / Number(track.times[i1] - t0);
  return interpolatePose3(track.poses[i0], track.poses[i1], f);
}

export async function openKittiRaw(driveDir: string, opts: KittiRawOptions = {}): Promise<FrameSource> {
  const drive = resolve(driveDir);
  if (!existsSync(drive)) throw new Error(`${drive}: KITTI raw drive folder not found`);
  const calibDir = resolve(opts.calibDir ?? dirname(drive));
  const cameras = opts.cameras ?? ['image_02', ...(existsSync(join(drive, 'image_03', 'data')) ? ['image_03'] : [])];
  if (!cameras.includes('image_02')) throw new Error(`${drive}: image_02 is required (it carries the frame times)`);
  if (opts.stereoPairs && !cameras.includes('image_03')) throw new Error(`${drive}: stereo pairs need image_03 (no ${join(drive, 'image_03', 'data')} folder)`);

  const imageFiles = new Map(cameras.map((c) => [c, numberedFiles(join(drive, c, 'data'), 'png')]));
  const primary = imageFiles.get('image_02')!;
  if (primary.size === 0) throw new Error(`${join(drive, 'image_02', 'data')}: no PNG images (empty folder)`);

  const frameTimes = readTimestamps(join(drive, 'image_02', 'timestamps.txt'));
  const oxtsFiles = numberedFiles(join(drive, 'oxts', 'data'), 'txt');
  const oxtsTimes = readTimestamps(join(drive, 'oxts', 'timestamps.txt'));
  const range = (n: number) => [...Array(n).keys()];

  // Frames = image_02 files that have a time, an OXTS record and its time.
  const matched = matchStreams(drive, { name: 'image_02/data', indices: [...primary.keys()].sort((a, b) => a - b) }, [
    { name: 'image_02/timestamps.txt', indices: range(frameTimes.length) },
    { name: 'oxts/data', indices: [...oxtsFiles.keys()] },
    { name: 'oxts/timestamps.txt', indices: range(oxtsTimes.length) },
  ] satisfies IndexedStream[]);
  const indices = matched.indices;
  const warnings = [...matched.warnings];

  // OXTS -> poses over every record that has a time (the track may be longer than the frames).
  const oxtsIndices = [...oxtsFiles.keys()].filter((i) => i < oxtsTimes.length).sort((a, b) => a - b);
  const records = oxtsIndices.map((i) => parseOxts(readFileSync(oxtsFiles.get(i)!, 'utf8'), oxtsFiles.get(i)!));
  const poses = oxtsToPoses(records);
  const track = new PoseTrack(oxtsIndices.map((i, k) => ({ timeNs: oxtsTimes[i], pose: poses[k] })), join(drive, 'oxts'));
  const period = indices.length > 1 ? (frameTimes[indices[indices.length - 1]] - frameTimes[indices[0]]) / BigInt(indices.length - 1) : 100_000_000n;

  const lidarFiles = opts.lidar === false ? new Map<number, string>() : existsSync(join(drive, 'velodyne_points', 'data')) ? numberedFiles(join(drive, 'velodyne_points', 'data'), 'bin') : new Map<number, string>();

  // Calibration needs the image size: read it from the first image of each camera.
  const calibCache = new Map<string, { calibration: CameraCalibration; lidarToVehicle: Pose3; groundZ: number }>();
  const calibFor = (camera: string, width: number, height: number) => {
    const key = `${camera} ${width}x${height}`;
    let c = calibCache.get(key);
    if (!c) {
      c = kittiRawCalibration(calibDir, Number(camera.slice(-2)), width, height);
      calibCache.set(key, c);
    }
    return c;
  };
  const first = await checkImage(await readFile(primary.get(indices[0])!), primary.get(indices[0])!).catch(() => undefined);
  const mounts: SensorMount[] = [];
  // Checks the calibration files now (a missing one is an error before any work is done).
  const probe = calibFor('image_02', first?.width ?? 1242, first?.height ?? 375);
  if (lidarFiles.size > 0) mounts.push({ parent: frameIds.vehicle, child: frameIds.lidar, pose: probe.lidarToVehicle });

  /** image_02 frames with their image_03 frame attached as the stereo right image. */
  async function* paired(): AsyncGenerator<SourceItem> {
    let left: SourceItem | undefined;
    for await (const item of cameraItems()) {
      const camera = item.kind === 'frame' ? item.frame.cameraId : item.kind === 'skipped' ? item.skipped.cameraId : undefined;
      if (camera === 'image_03' && item.kind === 'frame' && left?.kind === 'frame' && left.frame.index === item.frame.index) {
        const { image, calibration, source } = item.frame;
        left.frame.stereo = { image, calibration, source };
        yield left;
        left = undefined;
        continue;
      }
      if (left) yield left; // its right image is missing or unreadable (reported as skipped)
      left = undefined;
      if (camera === 'image_02' && item.kind === 'frame') left = item;
      else yield item;
    }
    if (left) yield left;
  }

  async function* cameraItems(): AsyncGenerator<SourceItem> {
    const jobs = indices.flatMap((index) => cameras.map((camera) => ({ index, camera, file: imageFiles.get(camera)!.get(index) })));
    const loaded = prefetched(jobs, async (job) => ({ job, image: job.file ? await loadImage(job.file) : undefined }));
    let pending = indices.length > 0 ? indices[0] : -1;
    for await (const { job, image } of loaded) {
      const { index, camera } = job;
      if (index !== pending) {
        yield* lidarFor(pending);
        pending = index;
      }
      if (!image || !job.file) {
        const file = join(drive, camera, 'data', `${String(index).padStart(10, '0')}.png`);
        yield { kind: 'skipped', skipped: { index, cameraId: camera, file, reason: 'file missing' } };
        continue;
      }
      if (!image.ok) {
        yield { kind: 'skipped', skipped: { index, cameraId: camera, file: job.file, reason: image.reason } };
        continue;
      }
      const timeNs = frameTimes[index];
      const egoPose = poseAt(track, timeNs, period / 2n);
      const { calibration, groundZ } = calibFor(camera, image.info.width, image.info.height);
      yield {
        kind: 'frame',
        frame: { timeNs, index, cameraId: camera, image: { format: image.info.format, data: image.data }, calibration, egoPose, groundZ, source: job.file },
      };
    }
    if (pending >= 0) yield* lidarFor(pending);
  }

  async function* lidarFor(index: number): AsyncGenerator<SourceItem> {
    const scanFile = lidarFiles.get(index);
    if (!scanFile) return;
    const bytes = await readFile(scanFile);
    if (bytes.byteLength % 16 !== 0) {
      warnings.push(`${scanFile}: ${bytes.byteLength} bytes is not a whole number of 16-byte points; scan skipped`);
      return;
    }
    const xyzi = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(xyzi.buffer).set(bytes);
    yield { kind: 'lidar', scan: { timeNs: frameTimes[index], index, frameId: frameIds.lidar, xyzi, file: scanFile } };
  }

  return {
    description: `KITTI raw drive ${basename(drive)}`,
    expectedFrames: indices.length * (opts.stereoPairs ? cameras.length - 1 : cameras.length),
    cameraIds: opts.stereoPairs ? cameras.filter((c) => c !== 'image_03') : cameras,
    mounts,
    warnings,
    items: opts.stereoPairs ? paired : cameraItems,
  };
}
