/**
 * A folder of PNG/JPEG images (sorted by name, numbers in natural order) taken at a fixed rate,
 * with one camera calibration file. Frame i is stamped startNs + i / fps. Images of another
 * size than the calibration get the calibration rescaled to their size.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CameraCalibration, TimeNs } from '../../types/index.js';
import { loadCalibrationFile } from '../calibration-file.js';
import { rescaleCalibration } from '../camera.js';
import type { FrameSource, SourceItem } from './frame-source.js';
import { IMAGE_FILE, naturalCompare } from './image-check.js';
import { loadImage } from './load-image.js';
import { prefetched } from './prefetch.js';

export interface ImageFolderOptions {
  fps: number;
  /** Path of a JSON CameraCalibration file, or the calibration itself. */
  calibration: string | CameraCalibration;
  /** Time of the first frame (default 0). */
  startNs?: TimeNs;
}

export function frameTime(startNs: TimeNs, index: number, fps: number): TimeNs {
  return startNs + BigInt(Math.round((index * 1e9) / fps));
}

export function checkFps(fps: number, where: string): void {
  if (!(Number.isFinite(fps) && fps > 0)) throw new RangeError(`${where}: frame rate must be a positive number of frames per second, got ${fps}`);
}

export function calibrationCache(base: CameraCalibration): (w: number, h: number) => CameraCalibration {
  const cache = new Map<string, CameraCalibration>();
  return (w, h) => {
    const key = `${w}x${h}`;
    let c = cache.get(key);
    if (!c) {
      c = w === base.width && h === base.height ? base : rescaleCalibration(base, w, h);
      cache.set(key, c);
    }
    return c;
  };
}

export async function openImageFolder(dir: string, opts: ImageFolderOptions): Promise<FrameSource> {
  const folder = resolve(dir);
  checkFps(opts.fps, folder);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (err) {
    throw new Error(`${folder}: cannot list image folder: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
  }
  const files = names.filter((n) => IMAGE_FILE.test(n)).sort(naturalCompare).map((n) => join(folder, n));
  if (files.length === 0) throw new Error(`${folder}: no PNG or JPEG images (empty folder)`);
  const base = typeof opts.calibration === 'string' ? loadCalibrationFile(opts.calibration) : opts.calibration;
  const calibFor = calibrationCache(base);
  const startNs = opts.startNs ?? 0n;

  async function* items(): AsyncGenerator<SourceItem> {
    const loaded = prefetched(files.keys(), async (index) => ({ index, image: await loadImage(files[index]) }));
    for await (const { index, image } of loaded) {
      const file = files[index];
      if (!image.ok) {
        yield { kind: 'skipped', skipped: { index, cameraId: base.cameraId, file, reason: image.reason } };
        continue;
      }
      yield {
        kind: 'frame',
        frame: {
          timeNs: frameTime(startNs, index, opts.fps),
          index,
          cameraId: base.cameraId,
          image: { format: image.info.format, data: image.data },
          calibration: calibFor(image.info.width, image.info.height),
          source: file,
        },
      };
    }
  }

  return { description: `image folder ${folder}`, expectedFrames: files.length, cameraIds: [base.cameraId], mounts: [], warnings: [], items };
}
