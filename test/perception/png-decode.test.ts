import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { decodeImage } from '../../engine/perception/decode.js';
import { decodePngFast } from '../../engine/perception/png-decode.js';

const kitti = (camera: string, n: number) =>
  readFileSync(dataPath('kitti-raw', '2011_09_26_drive_0001_sync', camera, 'data', `${String(n).padStart(10, '0')}.png`));

/** What sharp makes of a PNG: the reference the fast path must match byte for byte. */
async function sharpRgb(png: Uint8Array): Promise<Uint8Array> {
  const data = await sharp(png).toColourspace('srgb').removeAlpha().raw().toBuffer();
  return new Uint8Array(data);
}

/** A textured test picture with `channels` channels, so the encoder uses every row filter. */
function texture(width: number, height: number, channels: number): Buffer {
  const px = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) px[(y * width + x) * channels + c] = (x * (3 + c) + y * y * (1 + c) + ((x * 7919 + y * 104729) % 23)) & 255;
  return px;
}

describe('decodePngFast', () => {
  it('matches sharp byte for byte on the KITTI colour and grey frames', async () => {
    for (const [camera, n] of [['image_02', 0], ['image_02', 57], ['image_03', 107], ['image_00', 12]] as const) {
      const png = kitti(camera, n);
      const fast = decodePngFast(png);
      expect(fast, `${camera} ${n}`).toBeDefined();
      expect(fast!.width).toBe(397);
      expect(fast!.height).toBe(120);
      expect(Buffer.from(fast!.rgb).equals(Buffer.from(await sharpRgb(png))), `${camera} ${n}`).toBe(true);
    }
  });

  it('matches sharp for every channel layout and row filter', async () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const png = await sharp(texture(61, 23, channels), { raw: { width: 61, height: 23, channels } }).png({ adaptiveFiltering: true, compressionLevel: 9 }).toBuffer();
      const fast = decodePngFast(png);
      expect(fast, `${channels} channels`).toBeDefined();
      expect(Buffer.from(fast!.rgb).equals(Buffer.from(await sharpRgb(png))), `${channels} channels`).toBe(true);
    }
  });

  it('leaves palettes, 16 bits, interlacing and damaged files to sharp', async () => {
    const raw = texture(32, 16, 3);
    const from = (opts: sharp.PngOptions) => sharp(raw, { raw: { width: 32, height: 16, channels: 3 } }).png(opts).toBuffer();
    expect(decodePngFast(await from({ palette: true }))).toBeUndefined();
    expect(decodePngFast(await from({ progressive: true }))).toBeUndefined();
    expect(decodePngFast(await sharp(raw, { raw: { width: 32, height: 16, channels: 3 } }).toColourspace('rgb16').png().toBuffer())).toBeUndefined();

    const png = kitti('image_02', 3);
    expect(decodePngFast(png.subarray(0, png.length - 5000))).toBeUndefined();
    const flipped = Buffer.from(png);
    flipped[flipped.length >> 1] ^= 0x40; // inside the image data: the chunk's CRC no longer fits
    expect(decodePngFast(flipped)).toBeUndefined();
    expect(decodePngFast(readFileSync(dataPath('camvid', 'train', 'images', '0001TP_006690.jpg')))).toBeUndefined();
  });

  it('decodeImage still names the frame when a PNG is damaged', async () => {
    const png = kitti('image_02', 3);
    await expect(decodeImage({ format: 'png', data: png.subarray(0, png.length - 5000) }, 'drive.mcap frame 3')).rejects.toThrow(/drive.mcap frame 3: cannot decode png image/);
  });
});
