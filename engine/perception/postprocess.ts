/** Post-processing: logits to class maps, and class-map resampling. Tight loops over typed arrays. */

/**
 * Argmax over the class planes of NCHW logits [1, C, H, W] into `out` (H*W class indices).
 * Plane by plane so memory is read in order; `best` is scratch of H*W floats.
 */
export function argmaxPlanes(logits: Float32Array, classes: number, out: Uint8Array, best: Float32Array): Uint8Array {
  const n = out.length;
  if (logits.length !== classes * n) throw new Error(`argmax: logits hold ${logits.length} values, expected ${classes} x ${n}`);
  best.set(logits.subarray(0, n));
  out.fill(0);
  for (let c = 1; c < classes; c++) {
    const base = c * n;
    for (let i = 0; i < n; i++) {
      const v = logits[base + i];
      if (v > best[i]) {
        best[i] = v;
        out[i] = c;
      }
    }
  }
  return out;
}

/**
 * Argmax of the logits bilinearly resampled to outWidth x outHeight (pixel-centre alignment,
 * like torch's interpolate(align_corners=False)): the class map at a larger size keeps the
 * smooth boundaries that nearest-neighbour upsampling of the class map would lose.
 * `plane`: the logits' own plane size when width x height is only its top-left part (an image
 * padded to the model's stride).
 */
export function argmaxResampled(
  logits: Float32Array,
  classes: number,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  plane: { width: number; height: number } = { width, height },
): Uint8Array {
  const n = plane.width * plane.height;
  if (logits.length !== classes * n) throw new Error(`argmax: logits hold ${logits.length} values, expected ${classes} x ${plane.width} x ${plane.height}`);
  if (width > plane.width || height > plane.height) throw new Error(`argmax: region ${width}x${height} exceeds the logits' ${plane.width}x${plane.height}`);
  const out = new Uint8Array(outWidth * outHeight);
  const sx = width / outWidth;
  const sy = height / outHeight;
  // Per output column: left source index, right index, and the right weight.
  const x0s = new Int32Array(outWidth);
  const x1s = new Int32Array(outWidth);
  const wxs = new Float32Array(outWidth);
  for (let x = 0; x < outWidth; x++) {
    const fx = Math.max(0, (x + 0.5) * sx - 0.5);
    const x0 = Math.min(width - 1, Math.floor(fx));
    x0s[x] = x0;
    x1s[x] = Math.min(width - 1, x0 + 1);
    wxs[x] = fx - x0;
  }
  for (let y = 0; y < outHeight; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(height - 1, Math.floor(fy));
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = fy - y0;
    const r0 = y0 * plane.width;
    const r1 = y1 * plane.width;
    const row = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const a = x0s[x];
      const b = x1s[x];
      const wx = wxs[x];
      const w00 = (1 - wx) * (1 - wy);
      const w01 = wx * (1 - wy);
      const w10 = (1 - wx) * wy;
      const w11 = wx * wy;
      let bestV = -Infinity;
      let bestC = 0;
      for (let c = 0, base = 0; c < classes; c++, base += n) {
        const v = logits[base + r0 + a] * w00 + logits[base + r0 + b] * w01 + logits[base + r1 + a] * w10 + logits[base + r1 + b] * w11;
        if (v > bestV) {
          bestV = v;
          bestC = c;
        }
      }
      out[row + x] = bestC;
    }
  }
  return out;
}

/** The top-left width x height of a map whose rows are `stride` long. */
export function cropMap(map: Uint8Array, stride: number, width: number, height: number): Uint8Array {
  if (width === stride && map.length === width * height) return map;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) out.set(map.subarray(y * stride, y * stride + width), y * width);
  return out;
}

/** Nearest-neighbour resampling of a class map (pixel-centre alignment). */
export function resizeNearest(classes: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  if (classes.length !== width * height) throw new Error(`resizeNearest: map of ${width}x${height} needs ${width * height} values, has ${classes.length}`);
  const out = new Uint8Array(outWidth * outHeight);
  const xs = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) xs[x] = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outWidth));
  for (let y = 0; y < outHeight; y++) {
    const src = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outHeight)) * width;
    const row = y * outWidth;
    for (let x = 0; x < outWidth; x++) out[row + x] = classes[src + xs[x]];
  }
  return out;
}
