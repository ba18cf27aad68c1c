/**
 * CamVid (SegNet's 11-class version) split reader: <split>/images/<name>.jpg paired with
 * <split>/labels/<name>.png (8-bit grayscale class indices, 11 = Unlabelled/void), and
 * classes.json ({id, name, color}) one folder above the split.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import sharp from 'sharp';

export const CAMVID_VOID = 11;

export interface CamvidClass {
  id: number;
  name: string;
  color: [number, number, number];
}

export interface CamvidSample {
  name: string;
  imagePath: string;
  labelPath: string;
}

export interface CamvidSplit {
  dir: string;
  /** classes.json of the dataset, void included (id 11). */
  classes: CamvidClass[];
  samples: CamvidSample[];
}

export interface CamvidLabel {
  width: number;
  height: number;
  /** Class index per pixel, row-major. */
  classes: Uint8Array;
}

/** Lists a split's image/label pairs (sorted by name); every image must have its label. */
export function readCamvidSplit(splitDir: string): CamvidSplit {
  const dir = resolve(splitDir);
  const imgDir = join(dir, 'images');
  const labDir = join(dir, 'labels');
  for (const d of [imgDir, labDir]) if (!existsSync(d)) throw new Error(`CamVid split ${dir}: missing folder ${basename(d)}/`);
  const names = readdirSync(imgDir)
    .filter((f) => /\.(jpg|jpeg|png)$/i.test(f))
    .sort();
  if (names.length === 0) throw new Error(`CamVid split ${dir}: no images in images/`);
  const samples = names.map((f) => {
    const name = f.replace(/\.[^.]+$/, '');
    const labelPath = join(labDir, name + '.png');
    if (!existsSync(labelPath)) throw new Error(`CamVid split ${dir}: image ${f} has no label labels/${name}.png`);
    return { name, imagePath: join(imgDir, f), labelPath };
  });
  return { dir, classes: loadCamvidClasses(join(dirname(dir), 'classes.json')), samples };
}

export function loadCamvidClasses(path: string): CamvidClass[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`CamVid classes ${path}: cannot read JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new Error(`CamVid classes ${path}: expected a list of {id, name, color}`);
  return raw.map((c, i) => {
    const ok =
      c && c.id === i && typeof c.name === 'string' && Array.isArray(c.color) && c.color.length === 3 && c.color.every((v: unknown) => Number.isInteger(v));
    if (!ok) throw new Error(`CamVid classes ${path}: entry ${i} must be {id: ${i}, name, color: [r, g, b]}, got ${JSON.stringify(c)}`);
    return { id: c.id as number, name: c.name as string, color: c.color as [number, number, number] };
  });
}

/** Reads a label PNG; it must be single-channel 8-bit with values 0..11. */
export async function loadCamvidLabel(path: string): Promise<CamvidLabel> {
  let data: Buffer;
  let width: number;
  try {
    const img = sharp(path);
    const meta = await img.metadata();
    // A palette or RGB PNG would decode to colours, not class indices.
    if (meta.channels !== 1 || meta.depth !== 'uchar' || meta.isPalette)
      throw new Error(`expected 8-bit single-channel grayscale, got ${meta.channels} channel(s) ${meta.depth}${meta.isPalette ? ' palette' : ''}`);
    // sharp would widen grayscale to 3 channels on raw output; keep the single band.
    const r = await img.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    if (r.info.channels !== 1) throw new Error(`decoded to ${r.info.channels} channels, expected 1`);
    data = r.data;
    width = r.info.width;
  } catch (e) {
    throw new Error(`CamVid label ${path}: ${(e as Error).message}`);
  }
  const classes = new Uint8Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < classes.length; i++)
    if (classes[i] > CAMVID_VOID) throw new Error(`CamVid label ${path}: pixel ${i % width},${Math.floor(i / width)} has class ${classes[i]} > ${CAMVID_VOID}`);
  return { width, height: classes.length / width, classes };
}
