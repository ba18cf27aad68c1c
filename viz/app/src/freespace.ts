/**
 * The free-space boundary seen from the camera: rays over the camera's horizontal field of view
 * are marched across the occupancy grid from the camera's ground position; each ray's boundary
 * is the last free cell before the first cell that is not free (occupied, or unknown beyond the
 * observed region). The points lie on the grid's plane, ready to project into the image.
 */
import type { GridLayerData } from './foxglove.js';
import { invert, transformPoint, type Vec3 } from './pose-math.js';

export const FREE_LOG_ODDS = -0.4;
export const OCCUPIED_LOG_ODDS = 0.4;

export interface BoundaryPoint extends Vec3 {
  /** What stopped the ray: an occupied cell, unknown space, or the grid's edge. */
  stop: 'occupied' | 'unknown' | 'edge';
}

export function freeSpaceBoundary(
  grid: GridLayerData,
  gridToWorld: { position: Vec3; orientation: { x: number; y: number; z: number; w: number } },
  origin: Vec3,
  headingYaw: number,
  halfFov: number,
  rays = 120,
  maxRange = 60,
): BoundaryPoint[] {
  const worldToGrid = invert(gridToWorld);
  const step = Math.min(grid.cellX, grid.cellY) * 0.5;
  const planeZ = gridToWorld.position.z;
  const out: BoundaryPoint[] = [];
  const cellAt = (x: number, y: number): number | null => {
    const g = transformPoint(worldToGrid, { x, y, z: planeZ });
    const c = Math.floor(g.x / grid.cellX);
    const r = Math.floor(g.y / grid.cellY);
    if (c < 0 || r < 0 || c >= grid.cols || r >= grid.rows) return null;
    return grid.logOdds[r * grid.cols + c]!;
  };
  // Holes in the observed free space (cells a frame's rays skipped) do not end a ray: unknown
  // stretches shorter than this are crossed if free ground follows.
  const gap = Math.max(1, 4 * Math.min(grid.cellX, grid.cellY));
  for (let i = 0; i < rays; i++) {
    const a = headingYaw + halfFov - (2 * halfFov * i) / (rays - 1);
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    let seenFree = false;
    let last: Vec3 | null = null;
    let lastD = 0;
    let stop: BoundaryPoint['stop'] = 'edge';
    for (let d = step; d <= maxRange; d += step) {
      const x = origin.x + dx * d;
      const y = origin.y + dy * d;
      const l = cellAt(x, y);
      if (l === null) {
        if (seenFree) break;
        continue;
      }
      if (l < FREE_LOG_ODDS) {
        seenFree = true;
        last = { x, y, z: planeZ };
        lastD = d;
        stop = 'edge';
      } else if (l > OCCUPIED_LOG_ODDS) {
        if (seenFree || d > 3) {
          if (!seenFree) last = { x, y, z: planeZ };
          stop = 'occupied';
          break;
        }
      } else if (seenFree) {
        stop = 'unknown';
        if (d - lastD > gap) break;
      }
    }
    if (last) out.push({ ...last, stop });
  }
  return out;
}
