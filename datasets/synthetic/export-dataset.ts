/**
 * Synthetic frames as a segmentation dataset in CamVid's layout, for training on both worlds:
 * <dir>/<split>/images/<name>.jpg and <dir>/<split>/labels/<name>.png (8-bit grayscale class
 * ids, 11 = void) and <dir>/classes.json, the layout models/recipe reads and `grokdrive eval
 * seg` scores. Names are syn<seed>_<frame>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SyntheticDrive, encodeJpeg } from './drive.js';
import { CAMVID_CLASSES } from './prisms.js';

export interface DatasetExportOptions {
  /** One drive per seed. */
  seeds: number[];
  split: string;
  seconds?: number;
  /** Keep every n-th frame of a 10 fps drive (default 10: one per second). */
  every?: number;
  width?: number;
  height?: number;
  jpegQuality?: number;
}

export async function exportSegmentationDataset(
  dir: string,
  options: DatasetExportOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<{ images: number; dir: string }> {
  if (!/^[A-Za-z0-9_-]+$/.test(options.split)) throw new Error(`dataset split '${options.split}' must be a plain folder name`);
  const every = options.every ?? 10;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be a positive integer (got ${every})`);
  const splitDir = join(dir, options.split);
  mkdirSync(join(splitDir, 'images'), { recursive: true });
  mkdirSync(join(splitDir, 'labels'), { recursive: true });
  const classes = CAMVID_CLASSES.map(({ name, color }, id) => ({ id, name, color }));
  writeFileSync(join(dir, 'classes.json'), JSON.stringify(classes, null, 1) + '\n');
  const seconds = options.seconds ?? 20;
  const perDrive = Math.ceil(Math.floor(seconds * 10) / every);
  const total = options.seeds.length * perDrive;
  let done = 0;
  for (const seed of options.seeds) {
    const drive = new SyntheticDrive({ seed, seconds, width: options.width ?? 480, height: options.height ?? 360 });
    for (let k = 0; k < drive.frames; k += every) {
      const t = k / drive.fps;
      drive.world.setTime(t);
      const rendered = drive.renderer.render(drive.world.town, drive.world.actors.prisms, drive.world.egoPose(t), k);
      const name = `syn${seed}_${String(k).padStart(5, '0')}`;
      await sharp(await encodeJpeg(rendered, options.jpegQuality ?? 90)).toFile(join(splitDir, 'images', name + '.jpg'));
      await sharp(rendered.labels, { raw: { width: rendered.width, height: rendered.height, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toFile(join(splitDir, 'labels', name + '.png'));
      done++; // not inside the optional call: without a callback it would never be counted
      onProgress?.(done, total);
    }
  }
  return { images: done, dir: splitDir };
}
