/**
 * How a frame of any size becomes a model's input (the manifest's `resize`): stretched to the
 * manifest's size, resized in its own aspect ratio, or, when it is already about the model's
 * pixel count, padded to the model's stride at its own scale. docs/perception.md, "Input size".
 */
import type { ManifestInput } from './manifest.js';

/**
 * The model input size for an image of width x height: the manifest's size when it stretches;
 * with keep-aspect, the image's aspect ratio at about the manifest's pixel count.
 */
export function modelInputSize(input: ManifestInput, width: number, height: number): { width: number; height: number } {
  if (input.resize !== 'keep-aspect') return { width: input.width, height: input.height };
  const m = input.sizeMultiple ?? 1;
  const aspect = width / height;
  const pixels = input.width * input.height;
  const side = (v: number) => Math.max(m, Math.round(v / m) * m);
  // The short side from the pixel count; at one stride it can shrink no more, and the long side
  // stops at the pixel count too.
  const short = Math.sqrt(pixels * Math.min(aspect, 1 / aspect));
  const s = side(short);
  const l = short < m ? side(pixels / m) : side(s * Math.max(aspect, 1 / aspect));
  return aspect >= 1 ? { width: l, height: s } : { width: s, height: l };
}

/** How an image enters the model: the tensor's size, and the part of it the image fills. */
export interface InputPlan {
  width: number;
  height: number;
  /**
   * The image's size in the tensor (top-left). Equal to width x height when the image is
   * resized; smaller when it enters at its own scale, padded to the model's stride.
   */
  contentWidth: number;
  contentHeight: number;
}

/**
 * keep-aspect models take an image that is already about the model's pixel count (within
 * PAD_INSTEAD_OF_RESIZE either way) at its own scale, padded up to the stride: resampling it by
 * a few per cent would only blur it, and the class map then lies pixel for pixel on the image.
 */
export const PAD_INSTEAD_OF_RESIZE = 1.25;

export function modelInputPlan(input: ManifestInput, width: number, height: number): InputPlan {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new RangeError(`segmenter: image size ${width}x${height}: width and height must be positive integers`);
  if (input.resize === 'keep-aspect') {
    const m = input.sizeMultiple ?? 1;
    const pw = Math.ceil(width / m) * m;
    const ph = Math.ceil(height / m) * m;
    const ratio = (pw * ph) / (input.width * input.height);
    if (ratio <= PAD_INSTEAD_OF_RESIZE && ratio >= 1 / PAD_INSTEAD_OF_RESIZE) return { width: pw, height: ph, contentWidth: width, contentHeight: height };
  }
  const size = modelInputSize(input, width, height);
  return { ...size, contentWidth: size.width, contentHeight: size.height };
}
