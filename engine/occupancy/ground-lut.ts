/**
 * Lookup tables for camera-only free space (DESIGN.md "Perception: camera -> occupancy").
 *
 * Everything that depends only on the calibration, the segmentation's resolution and the
 * grid's cell size is computed here once: for every image column, the pixel rows below the
 * horizon (bottom-up) with the ground point each pixel's ray meets, and ground samples spaced
 * at most half a cell apart covering each row's footprint on the ground. Far rows cover metres
 * of road each, so without these samples free space would have holes between rows.
 * The per-frame walk (free-space.ts) then only reads typed arrays.
 */
import type { CameraCalibration } from '../../types/index.js';
import { CameraModel, rescaleCalibration } from '../../sensors/camera.js';

export interface GroundLutOptions {
  /** Grid cell size in metres; ground samples are spaced at most half of it. */
  resolution: number;
  /** Ground evidence closer than this (metres, horizontal, from the camera) is not written. */
  minRange: number;
  /** Rays are followed no further than this (metres, horizontal, from the camera). */
  maxRange: number;
  /** Height of the road plane in the vehicle frame (metres). */
  groundZ: number;
}

/**
 * Column-major tables. Column u owns rows [colRowStart[u], colRowStart[u + 1]), ordered from
 * the bottom of the image upwards; row r owns samples [rowSampleStart[r], rowSampleStart[r + 1]).
 */
export interface GroundLut {
  width: number;
  height: number;
  options: GroundLutOptions;
  colRowStart: Uint32Array;
  /** Pixel row index v of each table row. */
  rowV: Uint16Array;
  /** Image column u of each table row. */
  rowU: Uint16Array;
  /**
   * Ground point of the pixel's lower edge, vehicle frame. When this pixel is the lowest
   * obstacle pixel of its column, the obstacle's ground contact lies between this pixel's
   * centre and the centre of the road pixel below it, on average at this edge.
   */
  rowHitX: Float32Array;
  rowHitY: Float32Array;
  /** 1 when the hit point lies inside [minRange, maxRange]. */
  rowHitValid: Uint8Array;
  /** Horizontal distance of the hit point from the camera. */
  rowHitRange: Float32Array;
  /** Image rows that one metre standing upright on the hit point spans (how tall obstacles look there). */
  rowRise: Float32Array;
  rowSampleStart: Uint32Array;
  /** First sample of the row beyond the pixel centre (samples before it are the near half). */
  rowSampleMid: Uint32Array;
  /** Ground samples along the ray, vehicle frame, and the table row each belongs to. */
  sampleX: Float32Array;
  sampleY: Float32Array;
  sampleRow: Uint32Array;
  /** Camera position in the vehicle frame. */
  camera: { x: number; y: number; z: number };
}

/** Growable Float32 buffer for building the tables without per-sample objects. */
class FloatList {
  data = new Float32Array(4096);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

function validateOptions(o: GroundLutOptions): void {
  if (!(o.resolution > 0)) throw new RangeError(`occupancy: resolution must be > 0 m, got ${o.resolution}`);
  if (!(o.minRange >= 0) || !(o.maxRange > o.minRange)) {
    throw new RangeError(`occupancy: need 0 <= minRange < maxRange, got ${o.minRange}..${o.maxRange} m`);
  }
  if (!Number.isFinite(o.groundZ)) throw new RangeError(`occupancy: groundZ must be finite, got ${o.groundZ}`);
}

/**
 * Builds the tables for a segmentation of `width` x `height` pixels taken from a camera with
 * calibration `calib` (at any image size: the calibration is rescaled to the segmentation).
 */
export function buildGroundLut(
  calib: CameraCalibration,
  width: number,
  height: number,
  options: GroundLutOptions,
): GroundLut {
  validateOptions(options);
  if (!(width > 0 && height > 0 && width < 65536 && height < 65536)) {
    throw new RangeError(`occupancy: segmentation size ${width}x${height} is not usable`);
  }
  const scaled = calib.width === width && calib.height === height ? calib : rescaleCalibration(calib, width, height);
  const camera = new CameraModel(scaled);
  const camPos = scaled.cameraToVehicle.position;
  const { resolution, minRange, maxRange, groundZ } = options;
  const step = resolution / 2;
  const range = (x: number, y: number): number => Math.hypot(x - camPos.x, y - camPos.y);
  // Intersect the ray through (u, v) with the ground; null above the horizon or beyond the
  // far limit (treated the same: nothing observable there).
  const ground = (u: number, v: number): { x: number; y: number; r: number } | null => {
    const g = camera.pixelToGround(u, v, groundZ);
    if (!g) return null;
    return { x: g.x, y: g.y, r: range(g.x, g.y) };
  };

  const colRowStart = new Uint32Array(width + 1);
  const rowV: number[] = [];
  const rowU: number[] = [];
  const hitX = new FloatList();
  const hitY = new FloatList();
  const hitValid: number[] = [];
  const hitRange = new FloatList();
  const rise = new FloatList();
  const rowSampleStart: number[] = [];
  const rowSampleMid: number[] = [];
  const sx = new FloatList();
  const sy = new FloatList();
  const sRow: number[] = [];

  for (let u = 0; u < width; u++) {
    colRowStart[u] = rowV.length;
    for (let v = height - 1; v >= 0; v--) {
      const centre = ground(u, v);
      if (!centre || centre.r > maxRange) break; // horizon or beyond the far limit: stop the column
      // Footprint of this pixel row on the ground: from its lower edge to its upper edge
      // (the upper edge may reach the horizon; then the footprint ends at maxRange).
      const near = ground(u, v + 0.5) ?? centre;
      rowV.push(v);
      rowU.push(u);
      hitX.push(near.x);
      hitY.push(near.y);
      hitValid.push(near.r >= minRange && near.r <= maxRange ? 1 : 0);
      hitRange.push(near.r);
      const top = camera.projectVehiclePoint({ x: near.x, y: near.y, z: groundZ + 1 });
      rise.push(top ? Math.max(0, v + 0.5 - top.v) : height);
      rowSampleStart.push(sx.length);
      let mid = -1;
      const farEdge = ground(u, v - 0.5);
      let fx: number;
      let fy: number;
      if (farEdge && farEdge.r <= maxRange) {
        fx = farEdge.x;
        fy = farEdge.y;
      } else {
        // Shorten the centre ray direction to maxRange.
        const k = maxRange / centre.r;
        fx = camPos.x + (centre.x - camPos.x) * k;
        fy = camPos.y + (centre.y - camPos.y) * k;
      }
      const len = Math.hypot(fx - near.x, fy - near.y);
      const n = Math.max(1, Math.ceil(len / step));
      // n samples at the centres of n equal pieces: spacing <= step, no sample shared with the
      // neighbouring rows.
      for (let i = 0; i < n; i++) {
        const t = (i + 0.5) / n;
        const x = near.x + (fx - near.x) * t;
        const y = near.y + (fy - near.y) * t;
        const r = range(x, y);
        if (mid < 0 && r >= centre.r) mid = sx.length;
        if (r < minRange || r > maxRange) continue;
        sx.push(x);
        sy.push(y);
        sRow.push(rowV.length - 1);
      }
      rowSampleMid.push(mid < 0 ? sx.length : mid);
    }
  }
  colRowStart[width] = rowV.length;
  rowSampleStart.push(sx.length);

  return {
    width,
    height,
    options: { ...options },
    colRowStart,
    rowV: Uint16Array.from(rowV),
    rowU: Uint16Array.from(rowU),
    rowHitX: hitX.toArray(),
    rowHitY: hitY.toArray(),
    rowHitValid: Uint8Array.from(hitValid),
    rowHitRange: hitRange.toArray(),
    rowRise: rise.toArray(),
    rowSampleStart: Uint32Array.from(rowSampleStart),
    rowSampleMid: Uint32Array.from(rowSampleMid),
    sampleX: sx.toArray(),
    sampleY: sy.toArray(),
    sampleRow: Uint32Array.from(sRow),
    camera: { ...camPos },
  };
}
