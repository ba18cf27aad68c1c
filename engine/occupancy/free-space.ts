/**
 * One frame of camera-only free space: walk each image column of the segmentation from the
 * bottom up through the precomputed ground tables and mark the grid's evidence layer.
 *
 * - drivable pixel: its ground footprint is observed free (only up to its centre when the
 *   pixel above it is not drivable);
 * - first obstacle pixel (of a run of at least minObstacleRun up the column): the obstacle
 *   touches the ground near this pixel's lower edge -> that cell is occupied, the cells from
 *   there to the pixel's centre get half a hit, and the walk ends (what lies behind it is
 *   hidden);
 * - ground pixel (pavement, grass: not for driving, but flat): nothing marked, the walk goes
 *   on to what stands on it;
 * - ignore pixel (sky, void...): the walk ends with nothing marked;
 * - the column's tables end at the horizon or the far range limit: beyond is unobserved.
 *
 * Obstacle blobs are deliberately not projected: the upper pixels of a car would land on the
 * ground far behind it.
 */
import type { ClassInfo, Pose2 } from '../../types/index.js';
import type { GroundLut } from './ground-lut.js';
import { LogOddsGrid, MARK_EGO, MARK_FREE, MARK_MAYBE_OCCUPIED, MARK_OCCUPIED } from './log-odds-grid.js';

export const ROLE_IGNORE = 0;
export const ROLE_DRIVABLE = 1;
export const ROLE_OBSTACLE = 2;
export const ROLE_GROUND = 3;

type ClassRole = ClassInfo['role'];

const ROLE_CODES: Record<ClassRole, number> = { drivable: ROLE_DRIVABLE, obstacle: ROLE_OBSTACLE, ground: ROLE_GROUND, ignore: ROLE_IGNORE };

/**
 * Role code per class index (256 entries; classes missing from the table are ignored).
 * `overrides` replaces the roles of classes by name (a model's manifest says what its classes
 * are; a user may see some differently).
 */
export function roleTable(classTable: ClassInfo[], overrides: Readonly<Record<string, ClassRole>> = {}): Uint8Array {
  const roles = new Uint8Array(256);
  for (const name of Object.keys(overrides)) {
    if (!classTable.some((c) => c.name === name)) {
      throw new RangeError(`occupancy: class role override for '${name}', but the model has no such class (classes: ${classTable.map((c) => c.name).join(', ')})`);
    }
    if (!(overrides[name] in ROLE_CODES)) throw new RangeError(`occupancy: role '${overrides[name]}' for class '${name}' is not one of ${Object.keys(ROLE_CODES).join(', ')}`);
  }
  for (const c of classTable) {
    if (!Number.isInteger(c.id) || c.id < 0 || c.id > 255) throw new RangeError(`class id ${c.id} (${c.name}) is not 0..255`);
    roles[c.id] = ROLE_CODES[overrides[c.name] ?? c.role] ?? ROLE_IGNORE;
  }
  return roles;
}

/**
 * One frame's evidence in the vehicle frame, as indices into the ground tables: which ground
 * samples were seen free and which rows hold an obstacle's ground contact. Independent of the
 * ego pose and of the grid, so frames can be walked in any order; placing it in the world grid
 * (placeEvidence) is the part that must follow frame order.
 */
export interface FreeSpaceEvidence {
  lut: GroundLut;
  /**
   * Ground samples seen free, as runs of sample indices: [start0, end0, start1, end1, ...]
   * (a column's drivable rows own consecutive samples, so a stretch of road is one run).
   */
  freeRuns: Uint32Array;
  hitRows: Uint32Array;
  /**
   * Per table row, how far to stretch its ground points from the camera when the vehicle is
   * rolled or pitched against a level road (see rowScales); absent = 1. 0 drops the row.
   */
  rowScale?: Float32Array;
  /** The walk crossed the pixels a stereo check found flat (its contacts are stereo-checked). */
  stereo?: boolean;
}

/**
 * The road plane is level in the world, the vehicle is rolled and pitched on it (camber,
 * braking): in the vehicle frame the road is tilted, so a pixel's ray meets it nearer or
 * further than on the flat plane z = groundZ the tables assume. Along one ray the ground point
 * only moves outward or inward, by the same factor for all of a pixel row: the ratio of the
 * camera's height over the level road to the ray's drop per unit of it, after rotating by the
 * attitude. Rows whose scaled point leaves [0, maxRange] (or whose ray no longer descends)
 * get 0.
 */
export function rowScales(lut: GroundLut, roll: number, pitch: number, out = new Float32Array(lut.rowV.length)): Float32Array {
  const sp = Math.sin(pitch);
  const cp = Math.cos(pitch);
  const sr = Math.sin(roll);
  const cr = Math.cos(roll);
  const { x: cx, y: cy, z: cz } = lut.camera;
  const gz = lut.options.groundZ;
  const maxRange = lut.options.maxRange;
  // Third row of R = Ry(pitch) Rx(roll): the level frame's z of a vehicle-frame vector.
  const level = (x: number, y: number, z: number) => -sp * x + cp * sr * y + cp * cr * z;
  const height = level(cx, cy, cz) - gz;
  const dz = gz - cz;
  const { rowHitX, rowHitY, rowHitRange } = lut;
  // drop = -level(dx, dy, dz), written out (this runs for every row of every frame).
  const a = sp;
  const b = -cp * sr;
  const c0 = -cp * cr * dz;
  for (let r = 0; r < out.length; r++) {
    const drop = a * (rowHitX[r] - cx) + b * (rowHitY[r] - cy) + c0;
    const k = drop > 1e-9 ? height / drop : 0;
    out[r] = k > 0 && k * rowHitRange[r] <= maxRange ? k : 0;
  }
  return out;
}


export interface FreeSpaceCounts {
  /** Ground samples written free and obstacle contacts written occupied this frame. */
  freeSamples: number;
  occupiedHits: number;
}

/** Reusable scratch for walkColumns (one per walker; sized for the largest table seen). */
export class EvidenceScratch {
  free = new Uint32Array(0);
  hits = new Uint32Array(0);
  fit(lut: GroundLut): void {
    if (this.free.length < 2 * lut.rowV.length) this.free = new Uint32Array(2 * lut.rowV.length);
    if (this.hits.length < lut.width) this.hits = new Uint32Array(lut.width);
  }
}

/**
 * Walks every column bottom-up (see the file comment) and returns the frame's evidence.
 * An obstacle must show as at least `minObstacleRun` obstacle pixels in a row up the column
 * (real obstacles stand up from the road; a lone obstacle pixel is segmentation noise, and the
 * walk treats it like ground: nothing marked, the walk goes on).
 */
export function walkColumns(
  lut: GroundLut,
  classes: Uint8Array,
  roles: Uint8Array,
  scratch = new EvidenceScratch(),
  minObstacleRun = 1,
  groundLike?: Uint8Array,
  minObstacleHeight = 0,
): FreeSpaceEvidence {
  if (classes.length !== lut.width * lut.height) {
    throw new RangeError(`occupancy: segmentation has ${classes.length} pixels, tables expect ${lut.width}x${lut.height}`);
  }
  if (groundLike && groundLike.length !== classes.length) {
    throw new RangeError(`occupancy: stereo ground mask has ${groundLike.length} pixels, segmentation ${classes.length}`);
  }
  scratch.fit(lut);
  const { width: segW, colRowStart, rowV, rowHitValid, rowSampleStart, rowSampleMid, rowRise } = lut;
  const free = scratch.free;
  const hits = scratch.hits;
  let nFree = 0; // run bounds written
  let nHits = 0;
  for (let u = 0; u < segW; u++) {
    const rEnd = colRowStart[u + 1];
    for (let r = colRowStart[u]; r < rEnd; r++) {
      const v = rowV[r];
      const role = roles[classes[v * segW + u]];
      if (role === ROLE_DRIVABLE) {
        // Free up to this pixel's centre; on to its far edge only if the next pixel up is
        // drivable too (otherwise the boundary could lie anywhere in between).
        const nextDrivable = r + 1 < rEnd && roles[classes[rowV[r + 1] * segW + u]] === ROLE_DRIVABLE;
        const kStart = rowSampleStart[r];
        const kEnd = nextDrivable ? rowSampleStart[r + 1] : rowSampleMid[r];
        if (nFree > 0 && free[nFree - 1] === kStart) free[nFree - 1] = kEnd; // the run goes on
        else {
          free[nFree++] = kStart;
          free[nFree++] = kEnd;
        }
      } else if (role === ROLE_OBSTACLE) {
        if (groundLike && groundLike[v * segW + u] === 1) continue; // flat in stereo: walk on, like ground
        const need = Math.max(minObstacleRun, Math.ceil(minObstacleHeight * rowRise[r]));
        let run = 1;
        while (run < need && v - run >= 0 && roles[classes[(v - run) * segW + u]] === ROLE_OBSTACLE && !(groundLike && groundLike[(v - run) * segW + u] === 1)) run++;
        if (run < need && v - run >= 0) continue; // too short: noise, or too low to matter
        if (rowHitValid[r] === 1) hits[nHits++] = r;
        break;
      } else if (role !== ROLE_GROUND) {
        break;
      }
    }
  }
  return { lut, freeRuns: free.slice(0, nFree), hitRows: hits.slice(0, nHits) };
}

/**
 * How far beyond an obstacle's estimated ground contact (metres, along the ray) the contact's
 * pixel interval gets half a hit. On the KITTI drive with an earlier model it raised the
 * occupied recall against the lidar obstacles the camera could see by a fifth, for 4 of 104
 * plans; spreading toward the camera too raised it further but cost 9 of 104 plans: false
 * obstacles in the lane (docs/engine.md).
 */
export const DEFAULT_CONTACT_SPREAD = 0.5;

/** All-ones row scales per lookup table: a level road (or no attitude given). */
const unitScales = new WeakMap<GroundLut, Float32Array>();

function unitScale(lut: GroundLut): Float32Array {
  let ones = unitScales.get(lut);
  if (!ones) unitScales.set(lut, (ones = new Float32Array(lut.rowV.length).fill(1)));
  return ones;
}

/**
 * Vehicle-frame point (x, y) at `ego` -> grid cell: col = floor(ox + c x - s y),
 * row = floor(oy + s x + c y).
 */
function cellTransform(ego: Pose2, grid: LogOddsGrid): { c: number; s: number; ox: number; oy: number } {
  const inv = 1 / grid.resolution;
  return {
    c: Math.cos(ego.yaw) * inv,
    s: Math.sin(ego.yaw) * inv,
    ox: ego.x * inv - grid.originCellX,
    oy: ego.y * inv - grid.originCellY,
  };
}

/** How far around an obstacle's estimated ground contact, along its ray, half a hit goes (metres). */
export interface ContactSpread {
  /** The contact's pixel interval beyond the estimate (default DEFAULT_CONTACT_SPREAD). */
  beyond?: number;
  /** The contact's pixel interval toward the camera (default 0). */
  toward?: number;
  /** The ground behind the contact, the obstacle's body (default 0). */
  depth?: number;
}

/**
 * Writes a frame's evidence into `grid.marks` (call `grid.integrate` afterwards); `ego` is the
 * vehicle's planar pose in the world frame at the frame's time. Each row's points are stretched
 * from the camera by `evidence.rowScale` (see rowScales; absent = 1). Occupied wins over free.
 */
export function placeEvidence(evidence: FreeSpaceEvidence, ego: Pose2, grid: LogOddsGrid, spread: ContactSpread = {}): FreeSpaceCounts {
  const { beyond = DEFAULT_CONTACT_SPREAD, toward = 0, depth = 0 } = spread;
  const { lut, freeRuns, hitRows } = evidence;
  const scale = evidence.rowScale ?? unitScale(lut);
  const { sampleX, sampleY, sampleRow, rowHitX, rowHitY } = lut;
  const { x: camX, y: camY } = lut.camera;
  const marks = grid.marks;
  const gw = grid.width;
  const gh = grid.height;
  const { c, s, ox, oy } = cellTransform(ego, grid);
  const { rowSampleStart } = lut;
  let nFree = 0;
  for (let j = 0; j < freeRuns.length; j += 2) {
    const runEnd = freeRuns[j + 1];
    // Row by row: a row's samples share its scale f, so a sample's cell is
    // floor(colK + cf * x - sf * y), floor(rowK + sf * x + cf * y) with per-row constants.
    for (let k = freeRuns[j], r = sampleRow[k]; k < runEnd; r++) {
      const kEnd = Math.min(runEnd, rowSampleStart[r + 1]);
      const f = scale[r];
      if (f === 0) {
        k = kEnd;
        continue;
      }
      const cf = c * f;
      const sf = s * f;
      const colK = ox + (c * camX - s * camY) * (1 - f);
      const rowK = oy + (s * camX + c * camY) * (1 - f);
      for (; k < kEnd; k++) {
        const x = sampleX[k];
        const y = sampleY[k];
        const col = Math.floor(colK + cf * x - sf * y);
        const row = Math.floor(rowK + sf * x + cf * y);
        if (col < 0 || row < 0 || col >= gw || row >= gh) continue;
        const i = row * gw + col;
        if (marks[i] === 0) marks[i] = MARK_FREE;
        nFree++;
      }
    }
  }
  // An obstacle's ground contact lies somewhere between the centre of the road pixel below
  // its lowest pixel and that pixel's centre. The estimate (the pixel's lower edge) gets a
  // hit; the part of the interval beyond it, up to `beyond`, half a hit (the probability is
  // spread over it). The part toward the camera only up to `toward`: that is the road the
  // planner drives on, where a smeared false contact becomes an obstacle in the lane. With
  // `depth`, the ground behind the contact gets half a hit too, that far: what stands
  // there has a body behind its front (a car's side, a wall), which the camera cannot place.
  const depth2 = depth * depth;
  const reach2 = Math.max(beyond, depth) ** 2;
  const near2 = toward * toward;
  const { rowSampleMid, colRowStart, rowU } = lut;
  let nHits = 0;
  for (let j = 0; j < hitRows.length; j++) {
    const r = hitRows[j];
    const f = scale[r];
    if (f === 0) continue;
    const x = camX + (rowHitX[r] - camX) * f;
    const y = camY + (rowHitY[r] - camY) * f;
    const col = Math.floor(ox + c * x - s * y);
    const row = Math.floor(oy + s * x + c * y);
    if (col < 0 || row < 0 || col >= gw || row >= gh) continue;
    marks[row * gw + col] = MARK_OCCUPIED;
    nHits++;
    // Toward the camera: the far half of the road pixel below, inward from the estimate.
    if (near2 > 0 && r > colRowStart[rowU[r]]) {
      for (let k = rowSampleStart[r] - 1; k >= rowSampleMid[r - 1]; k--) {
        const g = scale[sampleRow[k]];
        const sx = camX + (sampleX[k] - camX) * g;
        const sy = camY + (sampleY[k] - camY) * g;
        if ((sx - x) * (sx - x) + (sy - y) * (sy - y) > near2) break;
        const sc = Math.floor(ox + c * sx - s * sy);
        const sr = Math.floor(oy + s * sx + c * sy);
        if (sc < 0 || sr < 0 || sc >= gw || sr >= gh) continue;
        const i = sr * gw + sc;
        if (marks[i] !== MARK_OCCUPIED) marks[i] = MARK_MAYBE_OCCUPIED;
      }
    }
    // The column's samples run outward from the contact estimate: the contact's own interval
    // (up to the pixel centre) within `beyond`, and with `depth` the ground behind
    // it, through the obstacle's pixels; stop at the first sample beyond.
    const kStop = depth > 0 ? rowSampleStart[colRowStart[rowU[r] + 1]] : rowSampleMid[r];
    for (let k = rowSampleStart[r]; k < kStop; k++) {
      const g = scale[sampleRow[k]];
      const sx = camX + (sampleX[k] - camX) * g;
      const sy = camY + (sampleY[k] - camY) * g;
      const d2 = (sx - x) * (sx - x) + (sy - y) * (sy - y);
      if (d2 > (k < rowSampleMid[r] ? reach2 : depth2)) break;
      const sc = Math.floor(ox + c * sx - s * sy);
      const sr = Math.floor(oy + s * sx + c * sy);
      if (sc < 0 || sr < 0 || sc >= gw || sr >= gh) continue;
      const i = sr * gw + sc;
      if (marks[i] !== MARK_OCCUPIED) marks[i] = MARK_MAYBE_OCCUPIED;
    }
  }
  return { freeSamples: nFree, occupiedHits: nHits };
}

/** Ground samples (vehicle frame) covering a rectangle at most half a cell apart. */
export function footprintSamples(rear: number, front: number, halfWidth: number, resolution: number): { x: Float32Array; y: Float32Array } {
  const step = resolution / 2;
  const nx = Math.max(1, Math.ceil((front + rear) / step));
  const ny = Math.max(1, Math.ceil((2 * halfWidth) / step));
  const x = new Float32Array(nx * ny);
  const y = new Float32Array(nx * ny);
  for (let i = 0, k = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++, k++) {
      x[k] = -rear + ((i + 0.5) * (front + rear)) / nx;
      y[k] = -halfWidth + ((j + 0.5) * 2 * halfWidth) / ny;
    }
  }
  return { x, y };
}

/**
 * Marks the cells under the ego vehicle certainly free, overriding anything else this frame:
 * the car is standing there, so nothing else is. Clears obstacles that the camera saw ahead and can no
 * longer see once the car is on them (false detections would otherwise stay under the car).
 */
export function placeFootprint(samples: { x: Float32Array; y: Float32Array }, ego: Pose2, grid: LogOddsGrid): void {
  const marks = grid.marks;
  const gw = grid.width;
  const gh = grid.height;
  const { c, s, ox, oy } = cellTransform(ego, grid);
  const { x: sx, y: sy } = samples;
  for (let k = 0; k < sx.length; k++) {
    const col = Math.floor(ox + c * sx[k] - s * sy[k]);
    const row = Math.floor(oy + s * sx[k] + c * sy[k]);
    if (col >= 0 && row >= 0 && col < gw && row < gh) marks[row * gw + col] = MARK_EGO;
  }
}

/** walkColumns + placeEvidence in one call. */
export function markFreeSpace(
  lut: GroundLut,
  classes: Uint8Array,
  roles: Uint8Array,
  ego: Pose2,
  grid: LogOddsGrid,
  scratch?: EvidenceScratch,
): FreeSpaceCounts {
  return placeEvidence(walkColumns(lut, classes, roles, scratch), ego, grid);
}
