/** Turns any ImageData (JPEG, PNG, rgb8, mono8) into packed 8-bit RGB. */
import sharp from 'sharp';
import type { ImageData } from '../../types/index.js';
import { decodePngFast } from './png-decode.js';

export interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** `source` names the frame or file in error messages. */
export async function decodeImage(image: ImageData, source = 'image'): Promise<RgbImage> {
  if (image.format === 'rgb8' || image.format === 'mono8') {
    const channels = image.format === 'rgb8' ? 3 : 1;
    const { width, height, data } = image;
    if (!(width > 0 && height > 0) || data.length !== width * height * channels)
      throw new Error(`${source}: ${image.format} image of ${width}x${height} needs ${width * height * channels} bytes, has ${data.length}`);
    if (channels === 3) return { rgb: data, width, height };
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, o = 0; i < data.length; i++, o += 3) rgb[o] = rgb[o + 1] = rgb[o + 2] = data[i];
    return { rgb, width, height };
  }
  if (image.format === 'png') {
    const fast = decodePngFast(image.data);
    if (fast) return fast;
  }
  try {
    const { data, info } = await sharp(image.data, { failOn: 'error' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (e) {
    throw new Error(`${source}: cannot decode ${image.format} image (${image.data.length} bytes): ${(e as Error).message}`);
  }
}
