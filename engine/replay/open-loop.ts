/**
 * Open-loop planning metrics: each plan against the path the car actually drove.
 *
 * - ADE / FDE: the plan's position at t = step, 2 step, ..., horizon seconds (interpolated on
 *   the plan's own timing; a plan that ends earlier stays at its end) against the driven
 *   position at the frame's time + t. ADE averages the distances, FDE is the one at the horizon.
 * - Collisions: a plan crosses lidar ground truth when any cell along its path (sampled every
 *   half cell) is occupied in the ground truth of the scan taken at the frame.
 */
import type { OccupancyGrid, Plan, Pose3, TrajectoryPoint } from '../../types/index.js';
import type { PoseTrack } from '../../sensors/pose.js';
import { GT_OCCUPIED, gridGeometry, lidarGroundTruth } from '../occupancy/lidar-ground-truth.js';

/** Where a grid lies, without its cells. */
export type GridLayout = Pick<OccupancyGrid, 'origin' | 'resolution' | 'width' | 'height'>;

/** Position of the plan at time t (seconds from its start). */
export function planPositionAt(points: readonly TrajectoryPoint[], t: number): { x: number; y: number } {
  if (points.length === 0) throw new Error('plan has no points');
  if (t <= points[0].t) return points[0];
  for (let i = 1; i < points.length; i++) {
    const b = points[i];
    if (b.t >= t) {
      const a = points[i - 1];
      const f = b.t > a.t ? (t - a.t) / (b.t - a.t) : 1;
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
    }
  }
  return points[points.length - 1];
}

export interface DisplacementErrors {
  ade: number;
  fde: number;
}

/** ADE/FDE of one plan, or undefined when the drive does not last `horizonS` beyond the frame. */
export function displacementErrors(plan: Plan, driven: PoseTrack, horizonS = 3, stepS = 0.5): DisplacementErrors | undefined {
  if (plan.status !== 'ok' || plan.poses.length === 0) return undefined;
  const end = plan.timeNs + BigInt(Math.round(horizonS * 1e9));
  if (plan.timeNs < driven.startNs || end > driven.endNs) return undefined;
  const steps = Math.max(1, Math.round(horizonS / stepS));
  let sum = 0;
  let last = 0;
  for (let k = 1; k <= steps; k++) {
    const t = (k * horizonS) / steps;
    const p = planPositionAt(plan.poses, t);
    const d = driven.at(plan.timeNs + BigInt(Math.round(t * 1e9))).position;
    last = Math.hypot(p.x - d.x, p.y - d.y);
    sum += last;
  }
  return { ade: sum / steps, fde: last };
}

/**
 * Mean distance from the plan's points to the path the car drove from the frame's time to
 * `untilS` seconds later (the geometry alone, whatever the speeds), or undefined.
 */
export function pathDeviation(plan: Plan, driven: PoseTrack, untilS: number): number | undefined {
  if (plan.status !== 'ok' || plan.poses.length === 0 || plan.timeNs < driven.startNs) return undefined;
  const end = plan.timeNs + BigInt(Math.round(untilS * 1e9));
  const path: { x: number; y: number }[] = [driven.at(plan.timeNs).position];
  // Only the poses in (plan time, end]: a search, not a scan of the whole drive per plan.
  for (let i = driven.lastIndexAtOrBefore(plan.timeNs) + 1; i < driven.length && driven.times[i] <= end; i++) path.push(driven.poses[i].position);
  if (end <= driven.endNs) path.push(driven.at(end).position);
  if (path.length < 2) return undefined;
  let sum = 0;
  for (const p of plan.poses) {
    let best = Infinity;
    for (let i = 1; i < path.length; i++) {
      const a = path[i - 1];
      const b = path[i];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
      const ex = p.x - a.x - t * dx;
      const ey = p.y - a.y - t * dy;
      best = Math.min(best, Math.sqrt(ex * ex + ey * ey));
    }
    sum += best;
  }
  return sum / plan.poses.length;
}

/** Whether the plan's path passes through a cell that is occupied in `truth` (laid out like `grid`). */
export function planCrossesOccupied(plan: Plan, grid: GridLayout, truth: Uint8Array): boolean {
  const res = grid.resolution;
  const ox = Math.round(grid.origin.x / res);
  const oy = Math.round(grid.origin.y / res);
  const occupied = (x: number, y: number): boolean => {
    const col = Math.floor(x / res) - ox;
    const row = Math.floor(y / res) - oy;
    return col >= 0 && row >= 0 && col < grid.width && row < grid.height && truth[row * grid.width + col] === GT_OCCUPIED;
  };
  const pts = plan.poses;
  for (let i = 0; i < pts.length; i++) {
    if (occupied(pts[i].x, pts[i].y)) return true;
    if (i === 0) continue;
    const a = pts[i - 1];
    const b = pts[i];
    const n = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / (res / 2));
    for (let k = 1; k < n; k++) if (occupied(a.x + ((b.x - a.x) * k) / n, a.y + ((b.y - a.y) * k) / n)) return true;
  }
  return false;
}

/** A plan to check against the lidar scan taken at its frame; small enough to send to a worker. */
export interface LidarPlanCheck {
  plan: Plan;
  /** The frame's grid: the ground truth is laid out like it. */
  grid: GridLayout;
  lidarToVehicle: Pose3;
  vehicleToWorld: Pose3;
  /** Road height in the vehicle frame. */
  groundZ: number;
}

/**
 * Whether the plan crosses a cell the scan (x, y, z, intensity per return, lidar frame) shows
 * occupied. Only occupied cells matter here, so the ground truth skips its free-space rays.
 */
export function planCrossesScan(xyzi: Float32Array, check: LidarPlanCheck): boolean {
  const gt = lidarGroundTruth(xyzi, check.lidarToVehicle, check.vehicleToWorld, gridGeometry(check.grid), { groundZ: check.groundZ, freeSpace: false });
  return planCrossesOccupied(check.plan, check.grid, gt.states);
}

/**
 * Plans checked against lidar, how many of them crossed an occupied cell, and the checks that
 * could not be made (a scan without enough ground to fit the road plane), with a few reasons.
 */
export interface LidarCheckCounts {
  checked: number;
  crossing: number;
  failed: { count: number; examples: string[] };
}

/** Checks plans against scans and counts, where the scans are written. A check that fails is counted, not thrown. */
export class LidarChecks {
  readonly counts: LidarCheckCounts = { checked: 0, crossing: 0, failed: { count: 0, examples: [] } };
  add(xyzi: Float32Array, check: LidarPlanCheck | undefined, where: string): void {
    if (!check) return;
    let crosses: boolean;
    try {
      crosses = planCrossesScan(xyzi, check);
    } catch (err) {
      this.counts.failed.count++;
      if (this.counts.failed.examples.length < 5) this.counts.failed.examples.push(`${where}: ${(err as Error).message}`);
      return;
    }
    this.counts.checked++;
    if (crosses) this.counts.crossing++;
  }
}
