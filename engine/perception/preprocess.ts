/**
 * Pre-processing: resize packed RGB to the model's input size with sharp, then normalise into a
 * caller-owned Float32Array in NCHW order (no allocation per pixel or per frame).
 */
import sharp from 'sharp';
import type { ManifestInput } from './manifest.js';

/** Resizes packed RGB (sharp's default lanczos3 kernel, no shrink-on-load shortcuts). */
export async function resizeRgb(rgb: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Promise<Uint8Array> {
  if (rgb.length !== width * height * 3) throw new Error(`resizeRgb: ${width}x${height} RGB needs ${width * height * 3} bytes, got ${rgb.length}`);
  if (width === outWidth && height === outHeight) return rgb;
  const buf = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(outWidth, outHeight, { fit: 'fill', fastShrinkOnLoad: false })
    .raw()
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Writes (pixel * scale - mean[c]) / std[c] for each channel plane into `out` (3 planes of the
 * model's input size); `rgb` is packed RGB of that same size.
 */
export function normaliseToNchw(rgb: Uint8Array, input: ManifestInput, out: Float32Array): Float32Array {
  if (out.length % 3 !== 0 || rgb.length !== out.length)
    throw new Error(`normaliseToNchw: output buffer holds ${out.length} floats, RGB has ${rgb.length} bytes (3 planes of the same pixels: they must be equal)`);
  // The same pixels in the same order: one row that fills the tensor, nothing to pad.
  const n = out.length / 3;
  return normalisePaddedToNchw(rgb, n, 1, input, out, n, 1);
}

/**
 * normaliseToNchw into tensor planes that may be larger than the image: the image fills the
 * top-left width x height of the tensorWidth x tensorHeight planes, and its last column and row
 * are repeated into the rest (padding to the model's stride without resampling the image).
 */
export function normalisePaddedToNchw(
  rgb: Uint8Array,
  width: number,
  height: number,
  input: ManifestInput,
  out: Float32Array,
  tensorWidth: number,
  tensorHeight: number,
): Float32Array {
  if (rgb.length !== width * height * 3) throw new Error(`normalisePaddedToNchw: ${width}x${height} RGB needs ${width * height * 3} bytes, got ${rgb.length}`);
  if (width > tensorWidth || height > tensorHeight || out.length !== 3 * tensorWidth * tensorHeight)
    throw new Error(`normalisePaddedToNchw: a ${width}x${height} image does not fit a ${tensorWidth}x${tensorHeight} tensor of ${out.length / 3} pixels`);
  const n = tensorWidth * tensorHeight;
  const src = input.colorOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let p = 0; p < 3; p++) {
    const a = input.scale / input.std[p];
    const b = -input.mean[p] / input.std[p];
    const base = p * n;
    for (let y = 0; y < tensorHeight; y++) {
      const row = base + y * tensorWidth;
      let j = Math.min(y, height - 1) * width * 3 + src[p];
      for (let x = 0; x < width; x++, j += 3) out[row + x] = rgb[j] * a + b;
      const edge = out[row + width - 1];
      out.fill(edge, row + width, row + tensorWidth);
    }
  }
  return out;
}

