/**
 * One frame of camera-only free space: walk each image column of the segmentation from the
 * bottom up through the precomputed ground tables and mark the grid's evidence layer.
 *
 * - drivable pixel: its ground footprint is observed free (only up to its centre when the
 *   pixel above it is not drivable);
 * - first obstacle pixel: the obstacle touches the ground at its lower edge -> that cell is
 *   occupied, and the walk ends (what lies behind it is hidden);
 * - ignore pixel (sky, void...): the walk ends with nothing marked;
 * - the column's tables end at the horizon or the far range limit: beyond is unobserved.
 *
 * Obstacle blobs are deliberately not projected: the upper pixels of a car would land on the
 * ground far behind it.
 */
import type { ClassInfo, Pose2, Segmentation } from '../../types/index.js';
import type { GroundLut } from './ground-lut.js';
import { LogOddsGrid, MARK_FREE, MARK_OCCUPIED } from './log-odds-grid.js';

export const ROLE_IGNORE = 0;
export const ROLE_DRIVABLE = 1;
export const ROLE_OBSTACLE = 2;

/** Role code per class index (256 entries; classes missing from the table are ignored). */
export function roleTable(classTable: ClassInfo[]): Uint8Array {
  const roles = new Uint8Array(256);
  for (const c of classTable) {
    if (!Number.isInteger(c.id) || c.id < 0 || c.id > 255) throw new RangeError(`class id ${c.id} (${c.name}) is not 0..255`);
    roles[c.id] = c.role === 'drivable' ? ROLE_DRIVABLE : c.role === 'obstacle' ? ROLE_OBSTACLE : ROLE_IGNORE;
  }
  return roles;
}

export interface FreeSpaceCounts {
  /** Ground samples written free and obstacle contacts written occupied this frame. */
  freeSamples: number;
  occupiedHits: number;
}

/**
 * Marks one frame's evidence in `grid.marks` (call `grid.integrate` afterwards).
 * `ego` is the vehicle's planar pose in the world frame at the frame's time.
 */
export function markFreeSpace(
  lut: GroundLut,
  classes: Uint8Array,
  roles: Uint8Array,
  ego: Pose2,
  grid: LogOddsGrid,
): FreeSpaceCounts {
  if (classes.length !== lut.width * lut.height) {
    throw new RangeError(`occupancy: segmentation has ${classes.length} pixels, tables expect ${lut.width}x${lut.height}`);
  }
  const { width: segW, colRowStart, rowV, rowHitX, rowHitY, rowHitValid, rowSampleStart, rowSampleMid, sampleX, sampleY } = lut;
  const marks = grid.marks;
  const gw = grid.width;
  const gh = grid.height;
  const inv = 1 / grid.resolution;
  // World -> grid: fold the ego pose and the grid origin into one affine map (cell units).
  const c = Math.cos(ego.yaw) * inv;
  const s = Math.sin(ego.yaw) * inv;
  const ox = ego.x * inv - grid.originCellX;
  const oy = ego.y * inv - grid.originCellY;
  let freeSamples = 0;
  let occupiedHits = 0;

  for (let u = 0; u < segW; u++) {
    const rEnd = colRowStart[u + 1];
    for (let r = colRowStart[u]; r < rEnd; r++) {
      const role = roles[classes[rowV[r] * segW + u]];
      if (role === ROLE_DRIVABLE) {
        // Free up to this pixel's centre; on to its far edge only if the next pixel up is
        // drivable too (otherwise the boundary could lie anywhere in between).
        const nextDrivable = r + 1 < rEnd && roles[classes[rowV[r + 1] * segW + u]] === ROLE_DRIVABLE;
        const kEnd = nextDrivable ? rowSampleStart[r + 1] : rowSampleMid[r];
        for (let k = rowSampleStart[r]; k < kEnd; k++) {
          const x = sampleX[k];
          const y = sampleY[k];
          const col = Math.floor(ox + c * x - s * y);
          const row = Math.floor(oy + s * x + c * y);
          if (col < 0 || row < 0 || col >= gw || row >= gh) continue;
          const i = row * gw + col;
          if (marks[i] === 0) marks[i] = MARK_FREE;
          freeSamples++;
        }
      } else {
        if (role === ROLE_OBSTACLE && rowHitValid[r] === 1) {
          const x = rowHitX[r];
          const y = rowHitY[r];
          const col = Math.floor(ox + c * x - s * y);
          const row = Math.floor(oy + s * x + c * y);
          if (col >= 0 && row >= 0 && col < gw && row < gh) {
            marks[row * gw + col] = MARK_OCCUPIED;
            occupiedHits++;
          }
        }
        break;
      }
    }
  }
  return { freeSamples, occupiedHits };
}
