/**
 * Stereo ground check: which pixels of the left image lie on a surface that slopes away like
 * the road, whatever the segmentation calls them.
 *
 * In a rectified pair the road's disparity grows linearly down the image (about B/h pixels a
 * row: baseline over camera height), while anything standing up from it has one disparity from
 * its foot to its top. So each pixel's window is matched against the right image under two
 * families of hypotheses: upright (one disparity for the whole window) and road-like (the
 * road's own disparity per row, shifted by a small offset that absorbs roll, camber and raised
 * beds). Where the best road-like match beats the best upright one and leaves a residual well
 * below the window's texture, the pixel is ground-like. Texture-less pixels match everything
 * alike and stay undecided (0).
 *
 * The segmenter knows what things are, stereo knows what is flat: a tram track's gravel bed,
 * which a CamVid-trained model calls Building or Fence, comes out ground-like here, so the
 * column walk can look past it to the wall behind (free-space.ts).
 */
import type { CameraCalibration } from '../../types/index.js';
import { CameraModel, rescaleCalibration } from '../../sensors/camera.js';
import type { RgbImage } from '../perception/decode.js';

/** One pair's check, at the images' size. */
export interface StereoCheck {
  width: number;
  height: number;
  /** 1 where the pixel is flat like the road. */
  mask: Uint8Array;
  /** The road's disparity found at each ground-like pixel (NaN elsewhere). */
  roadDisparity: Float32Array;
  /** Metres between the cameras. */
  baseline: number;
}

export interface StereoGroundOptions {
  /** Matching window: (2 halfWidth + 1) x (2 halfHeight + 1) pixels. Tall windows see the slope. */
  halfWidth: number;
  halfHeight: number;
  /** Ground-like when the best road-like cost is below `ratio` times the best upright cost. */
  ratio: number;
  /** Road-like offsets searched either side of the calibrated road's disparity (pixels). */
  offsetRange: number;
  /** Disparity step of both hypothesis families (pixels). */
  step: number;
  /**
   * How much nearer than the road at its row an upright surface is searched (pixels of
   * disparity). The walk only asks near an obstacle's foot, where it is a few pixels.
   */
  uprightRange: number;
  /** A road-like match must leave a residual below this times the window's texture (mean |high-passed left|). */
  maxResidual: number;
}

export const defaultStereoGroundOptions: StereoGroundOptions = { halfWidth: 2, halfHeight: 3, ratio: 1, offsetRange: 3, step: 0.5, uprightRange: 3, maxResidual: 0.8 };

/**
 * A rectified stereo pair's geometry at one image size: the road's disparity at pixel (u, v)
 * is du * u + dv * v + d0 (a plane seen from a camera is affine in disparity).
 */
export interface StereoRig {
  width: number;
  height: number;
  baseline: number;
  du: number;
  dv: number;
  d0: number;
  /** First image row whose road disparity is positive (the horizon, rounded down). */
  firstRow: number;
}

/** Pixels and degrees a right camera may differ from the left one and still pass as rectified. */
const INTRINSICS_TOLERANCE_PX = 0.5;
const AXIS_TOLERANCE = Math.cos((0.5 * Math.PI) / 180);

/**
 * The rig of a rectified pair: the right camera must have the left one's size, intrinsics and
 * orientation and sit along the left camera's +x axis. Throws, naming what differs, otherwise.
 */
export function stereoRig(left: CameraCalibration, right: CameraCalibration, groundZ: number): StereoRig {
  const fail = (what: string): never => {
    throw new Error(`stereo: '${right.cameraId}' is not the rectified right camera of '${left.cameraId}': ${what}`);
  };
  if (left.width !== right.width || left.height !== right.height) fail(`size ${right.width}x${right.height} vs ${left.width}x${left.height}`);
  for (const k of ['fx', 'fy', 'cx', 'cy'] as const) {
    if (Math.abs(left[k] - right[k]) > INTRINSICS_TOLERANCE_PX) fail(`${k} ${right[k]} vs ${left[k]}`);
  }
  if (left.distortion.some((k) => k !== 0) || right.distortion.some((k) => k !== 0)) fail('the images are not undistorted (distortion coefficients are not zero)');
  const camL = new CameraModel(left);
  const camR = new CameraModel(right);
  for (const axis of [{ x: 1, y: 0, z: 0 }, { x: 0, y: 0, z: 1 }]) {
    const a = camL.cameraDirectionToVehicle(axis);
    const b = camR.cameraDirectionToVehicle(axis);
    if (a.x * b.x + a.y * b.y + a.z * b.z < AXIS_TOLERANCE) fail('the cameras are not parallel');
  }
  const offset = camL.vehicleToCamera(camR.position);
  const baseline = offset.x;
  if (!(baseline > 0)) fail(`it sits ${(-baseline).toFixed(3)} m to the left, not to the right`);
  if (Math.hypot(offset.y, offset.z) > 0.02 * baseline) fail('the offset between the cameras is not along the image rows');
  // The road plane in the left camera's frame: n . X = h, n the camera-frame down direction.
  const h = camL.position.z - groundZ;
  if (!(h > 0)) fail(`the camera is not above the road (height ${h.toFixed(3)} m)`);
  const n = camL.vehicleToCamera({ x: camL.position.x, y: camL.position.y, z: camL.position.z - 1 });
  // d = fx B / Z and 1 / Z = (n.x x + n.y y + n.z) / h, with x = (u - cx) / fx, y = (v - cy) / fy.
  const k = (left.fx * baseline) / h;
  const du = (k * n.x) / left.fx;
  const dv = (k * n.y) / left.fy;
  const d0 = k * n.z - du * left.cx - dv * left.cy;
  // Row where the road's disparity (at the image's centre column) reaches zero.
  const horizon = dv > 0 ? -(d0 + du * (left.width / 2)) / dv : left.height;
  return { width: left.width, height: left.height, baseline, du, dv, d0, firstRow: Math.max(0, Math.min(left.height, Math.floor(horizon))) };
}

/** Reusable buffers for groundLikeMask (one per caller; grown to the largest image seen). */
export class StereoScratch {
  left = new Float32Array(0);
  right = new Float32Array(0);
  /** The right image shifted by 1/4, 2/4 and 3/4 pixel. */
  phases = [new Float32Array(0), new Float32Array(0), new Float32Array(0)];
  diff = new Float32Array(0);
  column = new Float32Array(0);
  bestUpright = new Float32Array(0);
  bestRoad = new Float32Array(0);
  texture = new Float32Array(0);
  /** Per pixel: the best road-like offset from the calibrated road's disparity. */
  roadOffset = new Float32Array(0);
  fit(n: number, width: number): void {
    if (this.left.length < n) {
      this.left = new Float32Array(n);
      this.right = new Float32Array(n);
      this.phases = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      this.diff = new Float32Array(n);
      this.bestUpright = new Float32Array(n);
      this.bestRoad = new Float32Array(n);
      this.texture = new Float32Array(n);
      this.roadOffset = new Float32Array(n);
    }
    if (this.column.length < width) this.column = new Float32Array(width);
  }
}

/** Luma minus its 5x5 mean: matching on it ignores the two cameras' different exposure. */
function highPassLuma(rgb: Uint8Array, width: number, height: number, out: Float32Array, mean: Float32Array, tmp: Float32Array): void {
  const n = width * height;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = 0.299 * rgb[j] + 0.587 * rgb[j + 1] + 0.114 * rgb[j + 2];
  boxMean(out, width, height, 2, 2, mean, tmp);
  for (let i = 0; i < n; i++) out[i] -= mean[i];
}

/** Mean over a (2 rx + 1) x (2 ry + 1) box, clipped at the image edges (running sums: rows, then columns). */
function boxMean(src: Float32Array, width: number, height: number, rx: number, ry: number, out: Float32Array, rows: Float32Array): void {
  let r = rx;
  for (let v = 0; v < height; v++) {
    const row = v * width;
    let s = 0;
    for (let x = 0; x < Math.min(width, r); x++) s += src[row + x];
    for (let u = 0; u < width; u++) {
      if (u + r < width) s += src[row + u + r];
      if (u - r - 1 >= 0) s -= src[row + u - r - 1];
      rows[row + u] = s / (Math.min(width - 1, u + r) - Math.max(0, u - r) + 1);
    }
  }
  r = ry;
  for (let u = 0; u < width; u++) {
    let s = 0;
    for (let y = 0; y < Math.min(height, r); y++) s += rows[y * width + u];
    for (let v = 0; v < height; v++) {
      if (v + r < height) s += rows[(v + r) * width + u];
      if (v - r - 1 >= 0) s -= rows[(v - r - 1) * width + u];
      out[v * width + u] = s / (Math.min(height - 1, v + r) - Math.max(0, v - r) + 1);
    }
  }
}

/** Whether the road's disparity changes noticeably along a row (a rolled camera). */
function isTilted(rig: StereoRig): boolean {
  return Math.abs(rig.du) * rig.width > 0.25;
}

/**
 * The calibrated road's disparity at (u, v) as the road-like hypotheses use it: along a row
 * it is taken at the centre column unless the camera is noticeably rolled.
 */
function roadDisparityAt(rig: StereoRig, u: number, v: number, tilted: boolean): number {
  return rig.d0 + rig.dv * v + rig.du * (tilted ? u : rig.width / 2);
}

/**
 * Upright surfaces are searched from this much beyond the road's disparity (pixels): further
 * away than the road they could only stand below it.
 */
const UPRIGHT_BEYOND_ROAD = 0.5;

/**
 * First column after `x` whose shift, rounded to quarters as `quarters` is at `x`, is no longer
 * `quarters` (or `w`). The shift is linear along the row, so the run's end is computed, then
 * nudged to the exact column where the rounding changes.
 */
function runEnd(quarters: number, x: number, w: number, rowShift: number, tilt: number): number {
  const edge = ((tilt > 0 ? quarters + 0.5 : quarters - 0.5) / 4 - rowShift) / tilt;
  let end = Math.max(x + 1, Math.min(w, Math.ceil(edge)));
  while (end < w && Math.round(4 * (rowShift + tilt * end)) === quarters) end++;
  while (end > x + 1 && Math.round(4 * (rowShift + tilt * (end - 1))) !== quarters) end--;
  return end;
}

/** diff[i] = |left[i] - right[i - k]| for i in [from, to). */
function absDiff(left: Float32Array, right: Float32Array, diff: Float32Array, from: number, to: number, k: number): void {
  // Math.abs, not a comparison: the sign of a difference is a coin toss the CPU cannot predict.
  for (let i = from, j = from - k; i < to; i++, j++) diff[i] = Math.abs(left[i] - right[j]);
}

/** Cost of a right-image sample outside the image: worse than any real match. */
const OUTSIDE_COST = 64;

/**
 * Per pixel of the left image, 1 where it is ground-like (see the file comment), else 0. Rows
 * above `rig.firstRow` are 0. `out` (width x height) is filled and returned.
 */
export function groundLikeMask(
  left: RgbImage,
  right: RgbImage,
  rig: StereoRig,
  options: StereoGroundOptions = defaultStereoGroundOptions,
  scratch = new StereoScratch(),
  out = new Uint8Array(left.width * left.height),
): Uint8Array {
  const { width: w, height: h } = left;
  if (right.width !== w || right.height !== h) throw new RangeError(`stereo: right image is ${right.width}x${right.height}, left ${w}x${h}`);
  if (rig.width !== w || rig.height !== h) throw new RangeError(`stereo: rig is for ${rig.width}x${rig.height} images, got ${w}x${h}`);
  const n = w * h;
  scratch.fit(n, w);
  const { left: lh, right: rh, diff, column, bestUpright, bestRoad } = scratch;
  highPassLuma(left.rgb, w, h, lh, diff, bestUpright);
  highPassLuma(right.rgb, w, h, rh, diff, bestUpright);
  // The right image at x - p/4 for p = 0..3: any quarter-pixel shift is then a lookup.
  const rightPhases = [rh, ...scratch.phases];
  for (let p = 1; p < 4; p++) {
    const shifted = rightPhases[p];
    const f = p / 4;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      shifted[row] = rh[row];
      for (let i = row + 1; i < row + w; i++) shifted[i] = rh[i] + f * (rh[i - 1] - rh[i]);
    }
  }
  out.fill(0);
  const { halfWidth: hw, halfHeight: hh, step, offsetRange, ratio } = options;
  const v0 = rig.firstRow;
  if (v0 >= h) return out;
  const y0 = Math.max(0, v0 - hh);
  bestUpright.fill(Infinity, v0 * w, n);
  bestRoad.fill(Infinity, v0 * w, n);
  const { du, dv, d0 } = rig;
  // The road's disparity at row y (at the image's centre column; across the row it changes by
  // du per column, which only a rolled camera makes noticeable).
  const roadAt = (y: number) => d0 + dv * y + du * (w / 2);
  const tilt = isTilted(rig) ? du : 0;

  // One hypothesis over rows [yFrom, yTo): disparity at (x, y) = base + (road ? road disparity :
  // 0); window sums of |left - right shifted| for centre rows [vFrom, vTo), into `best` where
  // lower, and `base` into `arg` there.
  const hypothesis = (base: number, road: boolean, best: Float32Array, arg: Float32Array | undefined, vFrom: number, vTo: number) => {
    const yFrom = Math.max(y0, vFrom - hh);
    const yTo = Math.min(h, vTo + hh);
    for (let y = yFrom; y < yTo; y++) {
      const row = y * w;
      const rowShift = base + (road ? d0 + dv * y + (tilt === 0 ? du * (w / 2) : 0) : 0);
      if (road && tilt !== 0) {
        // The shift changes along the row: rounded per pixel, it stays the same over runs of
        // pixels, and each run is a lookup in one phase.
        for (let x = 0; x < w; ) {
          const quarters = Math.round(4 * (rowShift + tilt * x));
          const end = runEnd(quarters, x, w, rowShift, tilt);
          const k = quarters >> 2;
          const phase = quarters & 3;
          // Inside the image from x >= k (+1 between pixels); a negative shift never is.
          const inside = quarters < 0 ? end : Math.min(end, Math.max(x, phase === 0 ? k : k + 1));
          diff.fill(OUTSIDE_COST, row + x, row + inside);
          absDiff(lh, rightPhases[phase], diff, row + inside, row + end, k);
          x = end;
        }
        continue;
      }
      // One shift for the whole row, to the nearest quarter pixel: a lookup in one of the
      // right image's phases, no arithmetic.
      if (rowShift < 0) {
        // Nothing is seen further than infinity: a negative disparity matches nothing.
        diff.fill(OUTSIDE_COST, row, row + w);
        continue;
      }
      const quarters = Math.round(4 * rowShift);
      const k = quarters >> 2;
      const src = rightPhases[quarters & 3];
      const xStart = Math.min(w, (quarters & 3) === 0 ? k : k + 1);
      diff.fill(OUTSIDE_COST, row, row + xStart);
      absDiff(lh, src, diff, row + xStart, row + w, k);
    }
    // Box sums: a running vertical sum per column, then a running horizontal sum per row.
    column.fill(0, 0, w);
    for (let y = yFrom; y < Math.min(h, vFrom + hh); y++) for (let x = 0; x < w; x++) column[x] += diff[y * w + x];
    for (let v = vFrom; v < vTo; v++) {
      const add = v + hh;
      const drop = v - hh - 1;
      if (add < yTo && drop >= yFrom) {
        // One pass, two steps: the same float32 rounding as adding and dropping apart.
        for (let x = 0, i = add * w, j = drop * w; x < w; x++, i++, j++) {
          column[x] += diff[i];
          column[x] -= diff[j];
        }
      } else if (add < yTo) for (let x = 0, i = add * w; x < w; x++, i++) column[x] += diff[i];
      else if (drop >= yFrom) for (let x = 0, i = drop * w; x < w; x++, i++) column[x] -= diff[i];
      // Window sums along the row; the image's edges clip the window.
      let s = 0;
      for (let x = 0; x < Math.min(w, hw); x++) s += column[x];
      const row = v * w;
      const inner = Math.max(hw + 1, Math.min(w - hw, w));
      let u = 0;
      for (; u < Math.min(hw + 1, w); u++) {
        if (u + hw < w) s += column[u + hw];
        if (s < best[row + u]) {
          best[row + u] = s;
          if (arg) arg[row + u] = base;
        }
      }
      for (; u < inner; u++) {
        s += column[u + hw] - column[u - hw - 1];
        if (s < best[row + u]) {
          best[row + u] = s;
          if (arg) arg[row + u] = base;
        }
      }
      for (; u < w; u++) {
        if (u + hw < w) s += column[u + hw];
        s -= column[u - hw - 1];
        if (s < best[row + u]) {
          best[row + u] = s;
          if (arg) arg[row + u] = base;
        }
      }
    }
  };
  // Upright: a surface standing at about a row's own road disparity or nearer, up to what the
  // walk needs to tell an obstacle from the road (uprightRange); only the rows where that holds.
  const maxRoad = Math.max(0, roadAt(h - 1)) + offsetRange + Math.abs(tilt) * w;
  for (let d = 0; d <= maxRoad + options.uprightRange + 1e-9; d += step) {
    // Centre rows whose road disparity lies in [d - uprightRange, d + UPRIGHT_BEYOND_ROAD].
    const vFrom = dv > 0 ? Math.max(v0, Math.floor((d - options.uprightRange - d0 - du * (w / 2)) / dv) - 1) : v0;
    const vTo = dv > 0 ? Math.min(h, Math.ceil((d + UPRIGHT_BEYOND_ROAD - d0 - du * (w / 2)) / dv) + 2) : h;
    if (vFrom < vTo) hypothesis(d, false, bestUpright, undefined, vFrom, vTo);
  }
  for (let e = -offsetRange; e <= offsetRange + 1e-9; e += step) hypothesis(e, true, bestRoad, scratch.roadOffset, v0, h);
  // The window's texture: mean |left| (the high-passed image). A road-like match must leave a
  // residual well below it, or it is no match at all: upright surfaces far nearer than the
  // road (upper parts of walls, beyond uprightRange) match neither family, and which of two
  // bad matches is better means nothing.
  const texture = scratch.texture;
  for (let i = 0; i < n; i++) diff[i] = Math.abs(lh[i]);
  boxMean(diff, w, h, hw, hh, texture, rh); // the right image is not needed any more
  const windowPixels = (2 * hw + 1) * (2 * hh + 1);
  const maxResidual = options.maxResidual * windowPixels;
  for (let v = v0; v < h; v++) {
    // Left of this column the right camera does not see the road's window: undecided.
    const seen = Math.max(0, Math.ceil(roadAt(v) + Math.abs(tilt) * w + offsetRange + hw + 1));
    for (let u = Math.min(w, seen), i = v * w + u; u < w; u++, i++) {
      out[i] = bestRoad[i] < ratio * bestUpright[i] && bestRoad[i] < maxResidual * texture[i] ? 1 : 0;
    }
  }
  return out;
}

/**
 * The stereo check as the engine runs it: rigs cached per calibration pair and size, buffers
 * kept from frame to frame. The calibrations may be for another size of the images.
 */
export class StereoGround {
  readonly options: StereoGroundOptions;
  private rigs = new Map<string, StereoRig>();
  private scratch = new StereoScratch();

  constructor(options: Partial<StereoGroundOptions> = {}) {
    this.options = { ...defaultStereoGroundOptions, ...options };
    const o = this.options;
    for (const k of ['halfWidth', 'halfHeight'] as const) {
      if (!(Number.isInteger(o[k]) && o[k] >= 0 && o[k] <= 16)) throw new RangeError(`stereo: ${k} must be a whole number of pixels 0..16, got ${o[k]}`);
    }
    if (!(o.ratio > 0 && o.ratio <= 2)) throw new RangeError(`stereo: ratio must be in (0, 2], got ${o.ratio}`);
    if (!(o.offsetRange >= 0 && o.offsetRange < 64)) throw new RangeError(`stereo: offsetRange must be 0..64 pixels, got ${o.offsetRange}`);
    if (!(o.step >= 0.1 && o.step <= 4)) throw new RangeError(`stereo: step must be 0.1..4 pixels, got ${o.step}`);
  }

  rigFor(left: CameraCalibration, right: CameraCalibration, groundZ: number, width: number, height: number): StereoRig {
    const key = JSON.stringify([left, right, groundZ, width, height]);
    let rig = this.rigs.get(key);
    if (!rig) {
      const sized = (c: CameraCalibration) => (c.width === width && c.height === height ? c : rescaleCalibration(c, width, height));
      rig = stereoRig(sized(left), sized(right), groundZ);
      if (this.rigs.size >= 8) this.rigs.delete(this.rigs.keys().next().value as string);
      this.rigs.set(key, rig);
    }
    return rig;
  }

  /**
   * The ground-like mask of one pair and the road's disparity at its ground-like pixels (new
   * arrays: frames in flight each keep their own), for stereo-road.ts to fit the road plane.
   */
  check(left: RgbImage, right: RgbImage, leftCalib: CameraCalibration, rightCalib: CameraCalibration, groundZ: number): StereoCheck {
    const { width: w, height: h } = left;
    const rig = this.rigFor(leftCalib, rightCalib, groundZ, w, h);
    const mask = groundLikeMask(left, right, rig, this.options, this.scratch);
    const offset = this.scratch.roadOffset;
    const tilted = isTilted(rig);
    const roadDisparity = new Float32Array(w * h).fill(NaN);
    for (let i = 0; i < mask.length; i++) if (mask[i] === 1) roadDisparity[i] = roadDisparityAt(rig, i % w, Math.floor(i / w), tilted) + offset[i];
    return { mask, roadDisparity, baseline: rig.baseline, width: w, height: h };
  }
}
