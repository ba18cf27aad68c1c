/**
 * Cell-by-cell comparison of a predicted log-odds grid with a ground-truth grid, inside the
 * camera's field of view between two ranges.
 */
import type { CameraCalibration, Pose3 } from '../../types/index.js';
import { CameraModel } from '../../sensors/camera.js';
import { invertPose3, transformPoint } from '../../sensors/pose.js';
import { GT_FREE, GT_OCCUPIED, type GridGeometry } from './lidar-ground-truth.js';

/**
 * Cells whose centre, on the road plane, is seen by the camera (projects inside the image)
 * and lies between minRange and maxRange (horizontal, from the camera).
 */
export function fieldOfViewMask(
  geometry: GridGeometry,
  calibration: CameraCalibration,
  vehicleToWorld: Pose3,
  groundZ: number,
  minRange: number,
  maxRange: number,
): Uint8Array {
  const cam = new CameraModel(calibration);
  const worldToVehicle = invertPose3(vehicleToWorld);
  const camW = transformPoint(vehicleToWorld, calibration.cameraToVehicle.position);
  const { width: w, height: h, resolution: res, originCellX, originCellY } = geometry;
  const mask = new Uint8Array(w * h);
  // Only cells within maxRange of the camera can qualify.
  const c0 = Math.max(0, Math.floor((camW.x - maxRange) / res) - originCellX);
  const c1 = Math.min(w - 1, Math.floor((camW.x + maxRange) / res) - originCellX);
  const r0 = Math.max(0, Math.floor((camW.y - maxRange) / res) - originCellY);
  const r1 = Math.min(h - 1, Math.floor((camW.y + maxRange) / res) - originCellY);
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const x = (originCellX + col + 0.5) * res;
      const y = (originCellY + row + 0.5) * res;
      const range = Math.hypot(x - camW.x, y - camW.y);
      if (range < minRange || range > maxRange) continue;
      const v = transformPoint(worldToVehicle, { x, y, z: 0 });
      const px = cam.projectVehiclePoint({ x: v.x, y: v.y, z: groundZ });
      if (px && cam.inImage(px.u, px.v)) mask[row * w + col] = 1;
    }
  }
  return mask;
}

/**
 * The cells of `mask` whose centre lies in [minRange, maxRange) of the camera (horizontal;
 * `closed` includes maxRange): a distance band of a field-of-view mask, without projecting again.
 */
export function rangeBandMask(
  mask: Uint8Array,
  geometry: GridGeometry,
  camera: { x: number; y: number },
  minRange: number,
  maxRange: number,
  closed = false,
): Uint8Array {
  const { width: w, resolution: res, originCellX, originCellY } = geometry;
  const band = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const col = i % w;
    const x = (originCellX + col + 0.5) * res - camera.x;
    const y = (originCellY + (i - col) / w + 0.5) * res - camera.y;
    const range = Math.sqrt(x * x + y * y);
    if (range >= minRange && (range < maxRange || (closed && range === maxRange))) band[i] = 1;
  }
  return band;
}

/**
 * The part of the ground truth the camera could see: rays from the camera's ground position
 * across the scored region stop at the first occupied truth cell. Occupied cells behind it (a
 * car's roof and far side, the lidar sees them from higher up) and free cells behind it become
 * unknown. Unknown truth cells do not stop a ray.
 */
export function visibleTruth(truth: Uint8Array, mask: Uint8Array, geometry: GridGeometry, camera: { x: number; y: number }, maxRange: number): Uint8Array {
  const { width: w, height: h, resolution: res, originCellX, originCellY } = geometry;
  const out = new Uint8Array(truth.length);
  const step = res / 2;
  const dA = step / maxRange / 2;
  for (let a = -Math.PI; a < Math.PI; a += dA) {
    const dx = Math.cos(a) * step;
    const dy = Math.sin(a) * step;
    let x = camera.x;
    let y = camera.y;
    let seenMask = false;
    for (let d = 0; d <= maxRange; d += step, x += dx, y += dy) {
      const col = Math.floor(x / res) - originCellX;
      const row = Math.floor(y / res) - originCellY;
      if (col < 0 || row < 0 || col >= w || row >= h) break;
      const i = row * w + col;
      if (!mask[i]) {
        if (seenMask) break; // left the scored region on the far side
        continue;
      }
      seenMask = true;
      const t = truth[i];
      if (t === GT_OCCUPIED) {
        out[i] = GT_OCCUPIED;
        break;
      }
      if (t === GT_FREE && out[i] === 0) out[i] = GT_FREE;
    }
  }
  return out;
}

export interface OccupancyThresholds {
  /** A cell is predicted occupied above this log-odds, free below minus `free`. */
  occupied: number;
  free: number;
}

export const defaultOccupancyThresholds: OccupancyThresholds = { occupied: 0.4, free: 0.2 };

/** Confusion counts over the evaluated cells (both add up over frames). */
export interface OccupancyCounts {
  cells: number;
  /** [predicted][truth], index 0 unknown, 1 free, 2 occupied. Always cell for cell. */
  matrix: number[][];
  /**
   * With a tolerance (see compareOccupancy), occupied cells counted from each side: truth cells
   * with an occupied prediction near them, and occupied predictions (on known or near occupied
   * truth) with occupied truth near them.
   */
  occupiedNear?: { truth: number; truthFound: number; predicted: number; predictedConfirmed: number };
}

export function emptyCounts(): OccupancyCounts {
  return { cells: 0, matrix: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] };
}

export function addCounts(a: OccupancyCounts, b: OccupancyCounts): OccupancyCounts {
  const out: OccupancyCounts = { cells: a.cells + b.cells, matrix: a.matrix.map((row, i) => row.map((v, j) => v + b.matrix[i][j])) };
  if (a.occupiedNear || b.occupiedNear) {
    const zero = { truth: 0, truthFound: 0, predicted: 0, predictedConfirmed: 0 };
    const x = a.occupiedNear ?? zero;
    const y = b.occupiedNear ?? zero;
    out.occupiedNear = {
      truth: x.truth + y.truth,
      truthFound: x.truthFound + y.truthFound,
      predicted: x.predicted + y.predicted,
      predictedConfirmed: x.predictedConfirmed + y.predictedConfirmed,
    };
  }
  return out;
}

/**
 * Counts cells of `mask` by (prediction, truth). With `tolerance` > 0, occupied is also
 * counted with that many cells of slack (a boundary placed one cell off is not a miss), from
 * each side on its own: a truth cell is found when an occupied prediction lies within the
 * tolerance, and a prediction is confirmed when occupied truth does. Each cell counts once on
 * its side, so a cluster of predictions around one truth cell cannot raise the recall.
 */
export function compareOccupancy(
  logOdds: Float32Array,
  truth: Uint8Array,
  mask: Uint8Array,
  width: number,
  thresholds: OccupancyThresholds = defaultOccupancyThresholds,
  tolerance = 0,
): OccupancyCounts {
  const counts = emptyCounts();
  const m = counts.matrix;
  const height = truth.length / width;
  const predicted = (i: number): number => (logOdds[i] > thresholds.occupied ? GT_OCCUPIED : logOdds[i] < -thresholds.free ? GT_FREE : 0);
  const near = (i: number, test: (j: number) => boolean): boolean => {
    const col = i % width;
    const row = (i - col) / width;
    for (let dy = -tolerance; dy <= tolerance; dy++) {
      for (let dx = -tolerance; dx <= tolerance; dx++) {
        const c = col + dx, r = row + dy;
        if (c >= 0 && r >= 0 && c < width && r < height && test(r * width + c)) return true;
      }
    }
    return false;
  };
  const occ = tolerance > 0 ? { truth: 0, truthFound: 0, predicted: 0, predictedConfirmed: 0 } : undefined;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    counts.cells++;
    const p = predicted(i);
    const t = truth[i];
    m[p][t]++;
    if (!occ) continue;
    if (t === GT_OCCUPIED) {
      occ.truth++;
      if (p === GT_OCCUPIED || near(i, (j) => predicted(j) === GT_OCCUPIED)) occ.truthFound++;
    }
    if (p === GT_OCCUPIED) {
      const confirmed = t === GT_OCCUPIED || near(i, (j) => truth[j] === GT_OCCUPIED);
      // As in the strict count, a prediction on unknown truth is not judged, unless confirmed.
      if (confirmed || t === GT_FREE) occ.predicted++;
      if (confirmed) occ.predictedConfirmed++;
    }
  }
  if (occ) counts.occupiedNear = occ;
  return counts;
}

export interface OccupancyScores {
  cells: number;
  occupied: { precision: number; recall: number; iou: number };
  free: { precision: number; recall: number; iou: number };
  /** Mean of the free and occupied IoU. */
  meanIoU: number;
  /** Share of evaluated cells the truth knows (free or occupied) that the prediction knows. */
  coverage: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);

/**
 * Precision = of the cells predicted X where the truth is known, the share that are X;
 * recall = of the cells that are X in truth, the share predicted X (unknown counts as a miss);
 * IoU = TP / (TP + FP + FN) over cells with known truth. With `occupiedNear` (a tolerance),
 * occupied precision and recall come from it, and the IoU is the one they imply,
 * 1 / (1 / precision + 1 / recall - 1).
 */
export function scoreOccupancy(c: OccupancyCounts): OccupancyScores {
  const m = c.matrix;
  const score = (k: number) => {
    const tp = m[k][k];
    const predKnown = m[k][GT_FREE] + m[k][GT_OCCUPIED];
    const truthK = m[0][k] + m[GT_FREE][k] + m[GT_OCCUPIED][k];
    const fp = predKnown - tp;
    const fn = truthK - tp;
    return { precision: ratio(tp, predKnown), recall: ratio(tp, truthK), iou: ratio(tp, tp + fp + fn) };
  };
  const near = c.occupiedNear;
  const occupied = near ? scoreNear(near) : score(GT_OCCUPIED);
  const free = score(GT_FREE);
  const truthKnown = [GT_FREE, GT_OCCUPIED].reduce((s, t) => s + m[0][t] + m[1][t] + m[2][t], 0);
  const bothKnown = [GT_FREE, GT_OCCUPIED].reduce((s, t) => s + m[1][t] + m[2][t], 0);
  return { cells: c.cells, occupied, free, meanIoU: (occupied.iou + free.iou) / 2, coverage: ratio(bothKnown, truthKnown) };
}

function scoreNear(n: NonNullable<OccupancyCounts['occupiedNear']>): OccupancyScores['occupied'] {
  const precision = ratio(n.predictedConfirmed, n.predicted);
  const recall = ratio(n.truthFound, n.truth);
  const iou = precision > 0 && recall > 0 ? 1 / (1 / precision + 1 / recall - 1) : precision === 0 || recall === 0 ? 0 : NaN;
  return { precision, recall, iou };
}
