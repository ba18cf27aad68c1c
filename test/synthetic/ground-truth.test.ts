import { describe, expect, it } from 'vitest';
import { CameraModel } from '../../sensors/camera.js';
import { Label, SyntheticDrive, isOccupied } from '../../datasets/synthetic/index.js';
import type { OccupancyGrid } from '../../types/index.js';

function insideGrid(grid: OccupancyGrid, x: number, y: number): boolean {
  const span = grid.width * grid.resolution;
  return x >= grid.origin.x && y >= grid.origin.y && x < grid.origin.x + span && y < grid.origin.y + grid.height * grid.resolution;
}

/** Occupied in the cell holding (x, y) or one of its 8 neighbours. */
function occupiedNear(grid: OccupancyGrid, x: number, y: number): boolean {
  const r = grid.resolution;
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (isOccupied(grid, x + dx * r, y + dy * r)) return true;
  return false;
}

/** World point of a vehicle-frame point for a planar ego pose. */
function toWorld(ego: { x: number; y: number; yaw: number }, p: { x: number; y: number }): { x: number; y: number } {
  const c = Math.cos(ego.yaw);
  const s = Math.sin(ego.yaw);
  return { x: ego.x + c * p.x - s * p.y, y: ego.y + s * p.x + c * p.y };
}

describe('synthetic ground truth', () => {
  it('occupancy agrees with the rendered labels', async () => {
    let contacts = 0;
    let contactsOccupied = 0;
    let roadPoints = 0;
    let roadOccupied = 0;
    let pavementPoints = 0;
    let pavementOccupied = 0;
    for (const seed of [2, 5]) {
      const drive = new SyntheticDrive({ seed, seconds: 6, fps: 2, width: 240, height: 180 });
      const camera = new CameraModel(drive.calibration);
      for (let k = 0; k < drive.frames; k += 3) {
        const f = await drive.frame(k);
        const ego = drive.world.egoPose(f.t);
        const { labels, width, height } = f.rendered;
        for (let u = 0; u < width; u++) {
          for (let v = height - 2; v >= 0; v--) {
            const here = labels[v * width + u];
            const below = labels[(v + 1) * width + u];
            // Lowest car pixel of a column standing on visible road: where the car meets the ground.
            if (here === Label.car && (below === Label.road || below === Label.pavement)) {
              // The camera model's ray for this pixel, followed to the rendered distance, reaches
              // the car's side just above the ground: that ground point must be an occupied cell.
              const ray = camera.cameraToVehicle(camera.unproject(u, v));
              const o = drive.calibration.cameraToVehicle.position;
              const dx = ray.x - o.x;
              const dy = ray.y - o.y;
              const n = Math.hypot(dx, dy);
              const reach = f.rendered.range[v * width + u] + 0.05;
              const w = toWorld(ego, { x: o.x + (dx / n) * reach, y: o.y + (dy / n) * reach });
              if (!insideGrid(f.grid, w.x, w.y)) continue;
              contacts++;
              if (occupiedNear(f.grid, w.x, w.y)) contactsOccupied++;
            }
          }
          for (let v = height - 1; v >= 0; v -= 4) {
            const label = labels[v * width + u];
            if (label !== Label.road && label !== Label.pavement) continue;
            const g = camera.pixelToGround(u, v);
            if (!g || Math.hypot(g.x, g.y) > 25) continue;
            const w = toWorld(ego, g);
            // Visible road is drivable (free); visible sidewalk is not (occupied, as Pavement is an obstacle class).
            if (label === Label.road) {
              roadPoints++;
              if (isOccupied(f.grid, w.x, w.y)) roadOccupied++;
            } else {
              pavementPoints++;
              if (isOccupied(f.grid, w.x, w.y)) pavementOccupied++;
            }
          }
        }
      }
    }
    expect(contacts).toBeGreaterThan(100);
    expect(roadPoints).toBeGreaterThan(1000);
    // Cell discretisation (0.2 m) leaves a few boundary disagreements; any real mismatch shows as many.
    expect(contactsOccupied / contacts).toBeGreaterThan(0.98);
    expect(roadOccupied / roadPoints).toBeLessThan(0.01);
    expect(pavementPoints).toBeGreaterThan(100);
    expect(pavementOccupied / pavementPoints).toBeGreaterThan(0.95);
  });
});
