/**
 * Ground-truth occupancy of the synthetic world, with the engine's meaning of "free": drivable.
 * A cell is free when its centre lies on the road surface and outside the footprint of anything
 * standing there; it is occupied when something stands on it (buildings, fences, poles, trunks,
 * cars, people) or when it is off the road (sidewalk, curb, verge), as the engine treats
 * Pavement as an obstacle class. With `offRoad: 'free'` only things standing count. Tree
 * canopies, sign plates and car cabins sit above their supports and add nothing. The grid is
 * world-aligned and centred on the ego.
 */
import type { OccupancyGrid, TimeNs } from '../../types/index.js';
import { frames } from '../../types/topics.js';
import { Shape, type Prisms } from './prisms.js';
import { Ground } from './road-network.js';
import type { Town } from './town.js';

/** Log-odds written for occupied and free cells (the engine's clamping limits). */
export const GT_OCCUPIED = 3.5;
export const GT_FREE = -2.0;

export interface GroundTruthGridOptions {
  /** Side of the square grid (m). */
  size?: number;
  /** Cell size (m). */
  resolution?: number;
  /** Whether ground off the road counts as occupied (default) or free. */
  offRoad?: 'occupied' | 'free';
}

export function groundTruthOccupancy(
  town: Town,
  movers: Prisms,
  centre: { x: number; y: number },
  timeNs: TimeNs,
  options: GroundTruthGridOptions = {},
): OccupancyGrid {
  const res = options.resolution ?? 0.2;
  const size = options.size ?? 60;
  if (!(res > 0) || !(size >= res)) throw new RangeError(`ground-truth grid: bad size ${size} m / resolution ${res} m`);
  const n = Math.round(size / res);
  // Snap the origin to the cell lattice so a cell means the same patch of ground in every frame.
  const ox = Math.floor((centre.x - size / 2) / res) * res;
  const oy = Math.floor((centre.y - size / 2) / res) * res;
  const logOdds = new Float32Array(n * n).fill(GT_FREE);
  if ((options.offRoad ?? 'occupied') === 'occupied') {
    const roads = town.roads;
    for (let row = 0; row < n; row++) {
      const y = oy + (row + 0.5) * res;
      for (let col = 0; col < n; col++) {
        const g = roads.groundAt(ox + (col + 0.5) * res, y);
        if (g !== Ground.road && g !== Ground.lanePaint) logOdds[row * n + col] = GT_OCCUPIED;
      }
    }
  }
  const stamp = (p: Prisms, i: number): void => {
    if (!p.occupies[i]) return;
    // Thin things (poles, fences) could slip between cell centres: grow them by half a cell.
    const thin = p.shape[i] === Shape.cylinder ? p.radius[i] < res : Math.min(p.hx[i], p.hy[i]) < res / 2;
    const margin = thin ? res / 2 : 0;
    const r = p.radius[i] + margin;
    const c0 = Math.max(0, Math.floor((p.x[i] - r - ox) / res));
    const c1 = Math.min(n - 1, Math.floor((p.x[i] + r - ox) / res));
    const r0 = Math.max(0, Math.floor((p.y[i] - r - oy) / res));
    const r1 = Math.min(n - 1, Math.floor((p.y[i] + r - oy) / res));
    for (let row = r0; row <= r1; row++) {
      const cy = oy + (row + 0.5) * res;
      for (let col = c0; col <= c1; col++) {
        if (p.contains(i, ox + (col + 0.5) * res, cy, margin)) logOdds[row * n + col] = GT_OCCUPIED;
      }
    }
  };
  town.grid.query(ox, oy, ox + size, oy + size, (i) => stamp(town.statics, i));
  for (let i = 0; i < movers.count; i++) stamp(movers, i);
  return { timeNs, frameId: frames.world, origin: { x: ox, y: oy, yaw: 0 }, resolution: res, width: n, height: n, logOdds };
}

/** Whether the world point lies in an occupied cell of the grid (false outside it). */
export function isOccupied(grid: OccupancyGrid, x: number, y: number): boolean {
  const col = Math.floor((x - grid.origin.x) / grid.resolution);
  const row = Math.floor((y - grid.origin.y) / grid.resolution);
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return false;
  return grid.logOdds[row * grid.width + col] > 0;
}
