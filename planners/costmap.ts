/**
 * A costmap from an occupancy grid: each cell lethal, free or unknown by log-odds thresholds,
 * plus the clearance to the nearest lethal cell from an exact Euclidean distance transform.
 * Space outside the grid counts as lethal: the planner only drives where the grid has seen.
 */
import type { OccupancyGrid } from '../types/messages.js';
import { DistanceTransform } from './distance-transform.js';

export interface CostmapOptions {
  /** Log-odds at or above which a cell is occupied (default 0.85, p ~ 0.7). */
  occupiedLogOdds?: number;
  /** Log-odds at or below which a cell is free (default -0.4, p ~ 0.4). */
  freeLogOdds?: number;
  /**
   * Cells between the thresholds: 'lethal' blocks them, a number >= 0 is an extra cost per
   * metre driven through them (0 = treat as free). Default 1 (twice the cost of free space).
   */
  unknown?: 'lethal' | number;
}

export class Costmap {
  readonly width: number;
  readonly height: number;
  /** Metres per cell. */
  readonly resolution: number;
  /** 1 = lethal, row-major. */
  readonly lethal: Uint8Array;
  /** 1 = unknown (and not lethal). */
  readonly unknown: Uint8Array;
  /** Extra cost per metre through unknown cells. */
  unknownCost: number;
  /**
   * Metres from a point in the cell to the nearest lethal cell or the map edge, taken as
   * (centre-to-centre distance - 1 cell) * resolution: exact when the nearest obstacle lies along
   * a grid axis, at most 0.41 cell optimistic on a diagonal (covered by the footprint margin).
   */
  readonly clearance: Float32Array;

  constructor(width: number, height: number, resolution: number, lethal: Uint8Array, unknown: Uint8Array, unknownCost: number) {
    this.width = width;
    this.height = height;
    this.resolution = resolution;
    this.lethal = lethal;
    this.unknown = unknown;
    this.unknownCost = unknownCost;
    this.clearance = new Float32Array(width * height);
    this.updateClearance();
  }

  /** Recomputes the clearance field after `lethal` changed. */
  updateClearance(): void {
    computeClearance(this.width, this.height, this.resolution, this.lethal, this.clearance);
  }

  /** Clearance at a point in grid-frame metres (-Infinity outside the map). */
  clearanceAt(x: number, y: number): number {
    const cx = Math.floor(x / this.resolution);
    const cy = Math.floor(y / this.resolution);
    if (cx < 0 || cy < 0 || cx >= this.width || cy >= this.height) return -Infinity;
    return this.clearance[cy * this.width + cx];
  }
}

const edt = new DistanceTransform();

function computeClearance(width: number, height: number, res: number, lethal: Uint8Array, out: Float32Array): Float32Array {
  const dist = edt.compute(width, height, lethal, out);
  for (let y = 0; y < height; y++) {
    // The nearest cell outside the map, along an axis.
    const edgeY = Math.min(y, height - 1 - y) + 1;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const edge = Math.min(edgeY, Math.min(x, width - 1 - x) + 1);
      dist[i] = (Math.min(dist[i], edge) - 1) * res;
    }
  }
  return dist;
}

/**
 * Builds the costmap of an occupancy grid. Throws a RangeError for a malformed grid. `reuse`: a
 * costmap of the same size and resolution whose arrays are overwritten instead of allocated
 * (planPath keeps one, as it plans on a new grid every frame).
 */
export function buildCostmap(grid: OccupancyGrid, options: CostmapOptions = {}, reuse?: Costmap): Costmap {
  const { width, height, resolution, logOdds } = grid;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`occupancy grid size must be positive integers, got ${width}x${height}`);
  }
  if (!(resolution > 0) || !Number.isFinite(resolution)) throw new RangeError(`occupancy grid resolution must be positive, got ${resolution}`);
  if (logOdds.length !== width * height) {
    throw new RangeError(`occupancy grid has ${logOdds.length} cells, expected ${width}x${height} = ${width * height}`);
  }
  const occ = options.occupiedLogOdds ?? 0.85;
  const free = options.freeLogOdds ?? -0.4;
  if (!(free < occ)) throw new RangeError(`freeLogOdds (${free}) must be below occupiedLogOdds (${occ})`);
  const unknownMode = options.unknown ?? 1;
  if (unknownMode !== 'lethal' && !(unknownMode >= 0)) throw new RangeError(`unknown cost must be 'lethal' or >= 0, got ${unknownMode}`);
  const n = width * height;
  const recycle = reuse && reuse.width === width && reuse.height === height && reuse.resolution === resolution;
  const lethal = recycle ? reuse.lethal : new Uint8Array(n);
  const unknown = recycle ? reuse.unknown : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = logOdds[i];
    let le = 0;
    let un = 0;
    if (l >= occ || Number.isNaN(l)) le = 1;
    else if (l > free) {
      if (unknownMode === 'lethal') le = 1;
      else un = 1;
    }
    lethal[i] = le;
    unknown[i] = un;
  }
  const unknownCost = unknownMode === 'lethal' ? 0 : unknownMode;
  if (recycle) {
    reuse.unknownCost = unknownCost;
    reuse.updateClearance();
    return reuse;
  }
  return new Costmap(width, height, resolution, lethal, unknown, unknownCost);
}
