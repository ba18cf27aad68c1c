import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCamvidSplit } from '../../datasets/camvid.js';
import { dataPath } from '../../datasets/data-root.js';
import { decodeImage } from '../../engine/perception/decode.js';
import { loadManifest } from '../../engine/perception/manifest.js';
import { argmaxPlanes, argmaxResampled, cropMap, resizeNearest } from '../../engine/perception/postprocess.js';
import { normalisePaddedToNchw, normaliseToNchw, resizeRgb } from '../../engine/perception/preprocess.js';

const manifest = loadManifest();
const { width: W, height: H } = manifest.input;
const sample = readCamvidSplit(dataPath('camvid', 'val')).samples[5];

describe('pre-processing (real CamVid frame)', () => {
  it('matches a per-pixel reference computed from sharp decoding the file straight to model size', async () => {
    const decoded = await decodeImage({ format: 'jpeg', data: readFileSync(sample.imagePath) }, sample.imagePath);
    expect([decoded.width, decoded.height]).toEqual([480, 360]);
    const resized = await resizeRgb(decoded.rgb, decoded.width, decoded.height, W, H);
    const tensor = normaliseToNchw(resized, manifest.input, new Float32Array(3 * W * H));

    // Reference: one sharp pipeline from the JPEG file, then the manifest's formula per pixel in float64.
    const ref = await sharp(sample.imagePath).resize(W, H, { fit: 'fill', fastShrinkOnLoad: false }).raw().toBuffer();
    let maxPixelDiff = 0;
    let maxValueDiff = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < 3; c++) {
          const v = ref[(y * W + x) * 3 + c];
          maxPixelDiff = Math.max(maxPixelDiff, Math.abs(v - resized[(y * W + x) * 3 + c]));
          const expected = (v * manifest.input.scale - manifest.input.mean[c]) / manifest.input.std[c];
          maxValueDiff = Math.max(maxValueDiff, Math.abs(tensor[c * W * H + y * W + x] - expected));
        }
      }
    }
    // Both resize paths are sharp's lanczos3 on the same decoded pixels: at most rounding apart.
    expect(maxPixelDiff).toBeLessThanOrEqual(1);
    // One 8-bit level is 1/255/std ~ 0.013 in tensor units; allow that plus float32 rounding.
    expect(maxValueDiff).toBeLessThan(0.014);
  });

  it('puts channels in BGR order when the manifest asks for it', () => {
    const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]);
    const input = { ...manifest.input, width: 2, height: 1, scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };
    expect(Array.from(normaliseToNchw(rgb, input, new Float32Array(6)))).toEqual([10, 40, 20, 50, 30, 60]);
    expect(Array.from(normaliseToNchw(rgb, { ...input, colorOrder: 'BGR' }, new Float32Array(6)))).toEqual([30, 60, 20, 50, 10, 40]);
    expect(() => normaliseToNchw(rgb, input, new Float32Array(5))).toThrow(/output buffer holds 5 floats, RGB has 6 bytes/);
  });

  it('pads an image to the tensor by repeating its last column and row', () => {
    // 2x1 image into 3x2 planes
    const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]);
    const input = { ...manifest.input, scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };
    const out = normalisePaddedToNchw(rgb, 2, 1, input, new Float32Array(18), 3, 2);
    expect(Array.from(out)).toEqual([10, 40, 40, 10, 40, 40, 20, 50, 50, 20, 50, 50, 30, 60, 60, 30, 60, 60]);
    expect(() => normalisePaddedToNchw(rgb, 2, 1, input, new Float32Array(6), 1, 2)).toThrow(/a 2x1 image does not fit a 1x2 tensor/);
  });

  it('decodes raw and grayscale frames and names the frame when decoding fails', async () => {
    const mono = await decodeImage({ format: 'mono8', width: 2, height: 1, data: Uint8Array.from([7, 9]) });
    expect(Array.from(mono.rgb)).toEqual([7, 7, 7, 9, 9, 9]);
    await expect(decodeImage({ format: 'rgb8', width: 2, height: 2, data: new Uint8Array(5) }, 'frame 3')).rejects.toThrow(/frame 3: rgb8 image of 2x2 needs 12 bytes, has 5/);
    const broken = readFileSync(sample.imagePath).subarray(0, 2000);
    await expect(decodeImage({ format: 'jpeg', data: broken }, 'cam@17')).rejects.toThrow(/cam@17: cannot decode jpeg image/);
  });
});

describe('post-processing', () => {
  it('argmax picks the highest class per pixel, and resampling keeps a uniform map uniform', () => {
    // 2 classes over 2x2 pixels
    const logits = Float32Array.from([1, 5, 0, 2, /* class 1 */ 2, 4, 1, 1]);
    const out = argmaxPlanes(logits, 2, new Uint8Array(4), new Float32Array(4));
    expect(Array.from(out)).toEqual([1, 0, 1, 0]);
    const up = argmaxResampled(Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 2, 2, 2, 5, 3);
    expect(up.every((c) => c === 1)).toBe(true);
    // same size: resampled argmax equals plain argmax
    expect(Array.from(argmaxResampled(logits, 2, 2, 2, 2, 2))).toEqual([1, 0, 1, 0]);
    // the left column of the 2x2 planes only, as a 1x2 region
    expect(Array.from(argmaxResampled(logits, 2, 1, 2, 1, 2, { width: 2, height: 2 }))).toEqual([1, 1]);
    expect(() => argmaxResampled(logits, 2, 3, 2, 3, 2, { width: 2, height: 2 })).toThrow(/region 3x2 exceeds the logits' 2x2/);
  });

  it('crops the image part out of a padded class map', () => {
    const map = Uint8Array.from([1, 2, 9, 3, 4, 9, 9, 9, 9]); // 3x3, image 2x2
    expect(Array.from(cropMap(map, 3, 2, 2))).toEqual([1, 2, 3, 4]);
    expect(cropMap(map, 3, 3, 3)).toBe(map);
  });

  it('nearest resize maps pixel centres', () => {
    const map = Uint8Array.from([1, 2, 3, 4]); // 2x2
    expect(Array.from(resizeNearest(map, 2, 2, 4, 2))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(Array.from(resizeNearest(map, 2, 2, 1, 1))).toEqual([4]);
  });
});
