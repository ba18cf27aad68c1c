/**
 * Occupancy ground truth from one lidar scan, for evaluating the camera-only grid.
 *
 * Method:
 * 1. Ground removal: a plane z = a x + b y + c (vehicle frame) fitted by RANSAC to returns near
 *    the expected road height within `planeRange`, then refined by least squares on its
 *    inliers. Height above ground = distance of a return above that plane.
 * 2. Obstacles: returns whose height above ground lies in [obstacleMinHeight,
 *    obstacleMaxHeight] (things a car would hit; overhanging branches and the road itself are
 *    left out). A cell with at least `minObstaclePoints` such returns is occupied.
 * 3. Free space: returns below `groundMaxHeight` are ground. Each ray from the sensor to a
 *    ground return or an obstacle return is traced through the grid (2D, Amanatides-Woo);
 *    cells it crosses before reaching the first occupied cell are free, and a ground return's
 *    own cell is free unless it is occupied. Everything else stays unknown.
 */
import { readFileSync } from 'node:fs';
import type { OccupancyGrid, Pose3 } from '../../types/index.js';
import { composePose3, matrix3x4FromPose3, transformPoint } from '../../sensors/pose.js';
import { ransacPlane, type Plane } from './plane-fit.js';

export const GT_UNKNOWN = 0;
export const GT_FREE = 1;
export const GT_OCCUPIED = 2;

export interface LidarGroundTruthOptions {
  /** Road height in the vehicle frame, the starting guess for the plane fit (metres). */
  groundZ: number;
  /** Returns within this horizontal distance of the sensor take part in the plane fit. */
  planeRange: number;
  /** Plane inlier distance (metres). */
  planeTolerance: number;
  groundMaxHeight: number;
  obstacleMinHeight: number;
  obstacleMaxHeight: number;
  minObstaclePoints: number;
  /** Returns further than this (horizontal, from the sensor) are not used. */
  maxRange: number;
  ransacIterations: number;
  seed: number;
  /**
   * Trace free space (step 3). Without it every cell is unknown or occupied: enough to check
   * plans against obstacles, and most of the cost is gone (the rays).
   */
  freeSpace: boolean;
}

export const defaultLidarGroundTruthOptions: LidarGroundTruthOptions = {
  groundZ: 0,
  planeRange: 30,
  planeTolerance: 0.12,
  groundMaxHeight: 0.2,
  obstacleMinHeight: 0.3,
  obstacleMaxHeight: 2.5,
  minObstaclePoints: 2,
  maxRange: 40,
  ransacIterations: 200,
  seed: 1,
  freeSpace: true,
};

/** Where the truth grid lies: the same layout as the engine's grid (world frame, axis-aligned). */
export interface GridGeometry {
  originCellX: number;
  originCellY: number;
  width: number;
  height: number;
  resolution: number;
}

/** The geometry of an engine grid (axis-aligned in its frame, origin on a cell corner). */
export function gridGeometry(grid: Pick<OccupancyGrid, 'origin' | 'resolution' | 'width' | 'height'>): GridGeometry {
  return {
    originCellX: Math.round(grid.origin.x / grid.resolution),
    originCellY: Math.round(grid.origin.y / grid.resolution),
    width: grid.width,
    height: grid.height,
    resolution: grid.resolution,
  };
}

/** The road: z = a x + b y + c in the vehicle frame. */
export type GroundPlane = Plane;

export interface LidarGroundTruth {
  /** GT_UNKNOWN / GT_FREE / GT_OCCUPIED per cell, row-major like OccupancyGrid. */
  states: Uint8Array;
  plane: GroundPlane;
  counts: { points: number; ground: number; obstacle: number; occupiedCells: number; freeCells: number };
}

/** A KITTI velodyne .bin file: little-endian float32 x, y, z, reflectance per return. */
export function readVelodyneScan(path: string): Float32Array {
  const buf = readFileSync(path);
  if (buf.byteLength % 16 !== 0) {
    throw new Error(`${path}: a velodyne scan holds 16 bytes per point (x, y, z, reflectance), but the file has ${buf.byteLength} bytes`);
  }
  // Copy into an aligned buffer (Buffer slices may start at any byte offset).
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/**
 * Per-return buffers, kept from scan to scan: a scan needs megabytes of them, and fresh memory
 * costs more in page faults than the work done in it.
 */
class Kept<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array> {
  private readonly slots: T[] = [];
  constructor(private readonly make: (n: number) => T) {}
  /** Slot `slot`'s buffer as a view of n values (contents left over from the last use). */
  get(slot: number, n: number): T {
    if (!this.slots[slot] || this.slots[slot].length < n) this.slots[slot] = this.make(n);
    return this.slots[slot].subarray(0, n) as T;
  }
}
const keptF64 = new Kept((n) => new Float64Array(n));
const keptU32 = new Kept((n) => new Uint32Array(n));
const keptU16 = new Kept((n) => new Uint16Array(n));
const keptU8 = new Kept((n) => new Uint8Array(n));

/** Candidate returns each RANSAC hypothesis is scored on. */
const RANSAC_SCORE_POINTS = 4000;

/**
 * RANSAC ground plane among returns (vehicle frame) within `planeRange` and within 0.5 m of
 * the expected road height, refined by least squares on the inliers.
 */
export function fitGroundPlane(xs: Float64Array, ys: Float64Array, zs: Float64Array, sensor: { x: number; y: number }, o: LidarGroundTruthOptions): GroundPlane {
  // Plain locals and typed arrays: this runs over every return of every scan.
  const sx = sensor.x, sy = sensor.y, groundZ = o.groundZ, tolerance = o.planeTolerance;
  const cand = keptU32.get(0, xs.length);
  let nc = 0;
  const maxR2 = o.planeRange * o.planeRange;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - sx;
    const dy = ys[i] - sy;
    const r2 = dx * dx + dy * dy;
    if (r2 > 4 && r2 < maxR2 && Math.abs(zs[i] - groundZ) < 0.5) cand[nc++] = i;
  }
  if (nc < 50) {
    throw new Error(`lidar ground truth: only ${nc} returns near the expected road height ${groundZ} m; cannot fit the ground plane`);
  }
  // A road is not steeper than ~8.5 degrees. Without any valid hypothesis: the expected road.
  const initial = { a: 0, b: 0, c: groundZ, inliers: -1 };
  const options = { iterations: o.ransacIterations, tolerance, seed: o.seed, maxSlope: 0.15, scorePoints: RANSAC_SCORE_POINTS, initial };
  return ransacPlane(xs, ys, zs, cand, nc, options, keptU32.get(1, nc)) ?? initial;
}

/**
 * A scan's returns in the vehicle frame and the road plane fitted to them. The arrays are
 * pooled: valid until the next call (here or in lidarGroundTruth).
 */
export function vehicleReturns(
  scan: Float32Array,
  lidarToVehicle: Pose3,
  o: LidarGroundTruthOptions,
): { n: number; xs: Float64Array; ys: Float64Array; zs: Float64Array; plane: GroundPlane } {
  const n = Math.floor(scan.length / 4);
  const xs = keptF64.get(0, n), ys = keptF64.get(1, n), zs = keptF64.get(2, n);
  // Rotation matrices rather than quaternion calls: this runs for every return of the scan.
  const m = matrix3x4FromPose3(lidarToVehicle);
  for (let i = 0; i < n; i++) {
    const x = scan[4 * i], y = scan[4 * i + 1], z = scan[4 * i + 2];
    xs[i] = m[0] * x + m[1] * y + m[2] * z + m[3];
    ys[i] = m[4] * x + m[5] * y + m[6] * z + m[7];
    zs[i] = m[8] * x + m[9] * y + m[10] * z + m[11];
  }
  return { n, xs, ys, zs, plane: fitGroundPlane(xs, ys, zs, lidarToVehicle.position, o) };
}

/**
 * Ground truth on `geometry` from one scan. `scan` is x, y, z, reflectance per return in the
 * lidar frame; `lidarToVehicle` the lidar's mount; `vehicleToWorld` the ego pose at the scan.
 */
export function lidarGroundTruth(
  scan: Float32Array,
  lidarToVehicle: Pose3,
  vehicleToWorld: Pose3,
  geometry: GridGeometry,
  options: Partial<LidarGroundTruthOptions> = {},
): LidarGroundTruth {
  const o = { ...defaultLidarGroundTruthOptions, ...options };
  // Vehicle-frame coordinates (for the plane) and world-frame ones (for the grid).
  const { n, xs: vx, ys: vy, zs: vz, plane } = vehicleReturns(scan, lidarToVehicle, o);
  const lidarToWorld = composePose3(vehicleToWorld, lidarToVehicle);
  const sensorV = lidarToVehicle.position;
  const sensorW = transformPoint(lidarToWorld, { x: 0, y: 0, z: 0 });

  // Vehicle -> world is planar enough for the grid: use the pose's full rotation anyway.
  const { width: w, height: h, resolution: res, originCellX, originCellY } = geometry;
  const cellOf = (x: number, y: number): number => {
    const col = Math.floor(x / res) - originCellX;
    const row = Math.floor(y / res) - originCellY;
    return col < 0 || row < 0 || col >= w || row >= h ? -1 : row * w + col;
  };
  const kind = keptU8.get(0, n).fill(0); // 0 unused, 1 ground, 2 obstacle
  const w2 = matrix3x4FromPose3(vehicleToWorld);
  const maxRange2 = o.maxRange * o.maxRange;
  const wx = keptF64.get(3, n), wy = keptF64.get(4, n);
  const obstacleHits = keptU16.get(0, w * h).fill(0);
  let ground = 0, obstacle = 0;
  const svx = sensorV.x, svy = sensorV.y;
  const { a: pa, b: pb, c: pc } = plane;
  const [r0, r1, r2, t0, r4, r5, r6, t1] = w2;
  const { groundMaxHeight, obstacleMinHeight, obstacleMaxHeight } = o;
  for (let i = 0; i < n; i++) {
    const x = vx[i], y = vy[i], z = vz[i];
    const dx = x - svx;
    const dy = y - svy;
    if (dx * dx + dy * dy > maxRange2) continue;
    const height = z - (pa * x + pb * y + pc);
    const px = r0 * x + r1 * y + r2 * z + t0;
    const py = r4 * x + r5 * y + r6 * z + t1;
    wx[i] = px; wy[i] = py;
    if (height < groundMaxHeight) {
      kind[i] = 1;
      ground++;
    } else if (height >= obstacleMinHeight && height <= obstacleMaxHeight) {
      kind[i] = 2;
      obstacle++;
      const c = cellOf(px, py);
      if (c >= 0 && obstacleHits[c] < 65535) obstacleHits[c]++;
    }
  }
  const states = new Uint8Array(w * h);
  let occupiedCells = 0;
  for (let c = 0; c < states.length; c++) {
    if (obstacleHits[c] >= o.minObstaclePoints) {
      states[c] = GT_OCCUPIED;
      occupiedCells++;
    }
  }
  if (!o.freeSpace) return { states, plane, counts: { points: n, ground, obstacle, occupiedCells, freeCells: 0 } };
  // Trace rays in cell units from the sensor (Amanatides-Woo): free until the first occupied cell.
  const sx = sensorW.x / res - originCellX;
  const sy = sensorW.y / res - originCellY;
  for (let i = 0; i < n; i++) {
    if (kind[i] === 0) continue;
    const ex = wx[i] / res - originCellX;
    const ey = wy[i] / res - originCellY;
    let cx = Math.floor(sx), cy = Math.floor(sy);
    const tx = Math.floor(ex), ty = Math.floor(ey);
    const dx = ex - sx, dy = ey - sy;
    const stepX = dx > 0 ? 1 : -1, stepY = dy > 0 ? 1 : -1;
    const tDeltaX = dx !== 0 ? Math.abs(1 / dx) : Infinity;
    const tDeltaY = dy !== 0 ? Math.abs(1 / dy) : Infinity;
    let tMaxX = dx !== 0 ? (dx > 0 ? cx + 1 - sx : sx - cx) * tDeltaX : Infinity;
    let tMaxY = dy !== 0 ? (dy > 0 ? cy + 1 - sy : sy - cy) * tDeltaY : Infinity;
    for (;;) {
      const atEnd = cx === tx && cy === ty;
      if (cx >= 0 && cy >= 0 && cx < w && cy < h) {
        const c = cy * w + cx;
        if (states[c] === GT_OCCUPIED) break;
        // An obstacle return's own cell is not free (it held fewer than minObstaclePoints).
        if (atEnd && kind[i] === 2) break;
        states[c] = GT_FREE;
      }
      if (atEnd || (tMaxX > 1 && tMaxY > 1)) break;
      if (tMaxX < tMaxY) {
        tMaxX += tDeltaX;
        cx += stepX;
      } else {
        tMaxY += tDeltaY;
        cy += stepY;
      }
    }
  }
  let freeCells = 0;
  for (let c = 0; c < states.length; c++) if (states[c] === GT_FREE) freeCells++;
  return { states, plane, counts: { points: n, ground, obstacle, occupiedCells, freeCells } };
}
