/** Reading + validating one image file, with the failure kept as a value (for read-ahead). */
import { readFile } from 'node:fs/promises';
import { checkImage, type CheckedImage } from './image-check.js';

export type LoadedImage = { ok: true; data: Uint8Array; info: CheckedImage } | { ok: false; reason: string };

export async function loadImage(file: string): Promise<LoadedImage> {
  try {
    const data = new Uint8Array(await readFile(file));
    return { ok: true, data, info: await checkImage(data, file) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
