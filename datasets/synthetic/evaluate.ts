/**
 * Scores an engine result log against the ground truth of the synthetic drive it came from:
 * segmentation (confusion matrix, per-class IoU, mIoU over the CamVid classes present) and
 * occupancy (do the engine's free cells lie on free ground, and its occupied cells next to
 * something that really stands there?).
 */
import type { OccupancyGrid } from '../../types/index.js';
import { topics } from '../../types/topics.js';
import { DriveReader, type DriveMessage } from '../drive-log/reader.js';
import { gridFromFoxglove } from '../drive-log/grid-message.js';
import { CAMVID_CLASSES, Label } from './prisms.js';

export const CAMVID_NAMES: string[] = CAMVID_CLASSES.map((c) => c.name);
const CLASSES = 12;

export interface ClassScore {
  id: number;
  name: string;
  iou: number;
  gtPixels: number;
}

export interface GroundTruthReport {
  segmentation: {
    frames: number;
    pixelAccuracy: number;
    /** Mean IoU over the classes present in the ground truth (void excluded). */
    mIoU: number;
    perClass: ClassScore[];
  };
  occupancy: {
    frames: number;
    /** Engine cells with log-odds < -threshold inside the ground-truth window. */
    freeCells: number;
    /** Share of them that are free in the ground truth. */
    freeCorrect: number;
    occupiedCells: number;
    /** Share of engine-occupied cells within `nearMetres` of a ground-truth occupied cell. */
    occupiedNearTruth: number;
    nearMetres: number;
  };
}

interface Raw {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface EvaluateOptions {
  cameraId?: string;
  /** |log-odds| above which an engine cell counts as decided (default 0.5). */
  threshold?: number;
  /** Tolerance for occupied cells (default 0.6 m: cell size plus the contact's pixel footprint). */
  nearMetres?: number;
}

export async function evaluateAgainstGroundTruth(drivePath: string, resultPath: string, options: EvaluateOptions = {}): Promise<GroundTruthReport> {
  const cameraId = options.cameraId ?? 'front';
  const threshold = options.threshold ?? 0.5;
  const near = options.nearMetres ?? 0.6;
  const truth = await DriveReader.open(drivePath);
  const result = await DriveReader.open(resultPath);
  try {
    const gtSegTopic = topics.groundTruthSegmentation(cameraId);
    const have = new Set(truth.summary().topics.map((t) => t.topic));
    if (!have.has(gtSegTopic) || !have.has(topics.groundTruthOccupancy)) {
      throw new Error(`${drivePath}: no ground truth (${gtSegTopic}, ${topics.groundTruthOccupancy}); is it a synthetic drive?`);
    }
    const gtIter = truth.messages({ topics: [gtSegTopic, topics.groundTruthOccupancy] })[Symbol.asyncIterator]();
    let pending: DriveMessage | undefined;
    let gtSeg: { t: bigint; raw: Raw } | undefined;
    let gtGrid: { t: bigint; grid: OccupancyGrid } | undefined;
    /** Pull ground truth up to time t. */
    const advance = async (t: bigint): Promise<void> => {
      for (;;) {
        if (!pending) {
          const n = await gtIter.next();
          if (n.done) return;
          pending = n.value;
        }
        if (pending.logTimeNs > t) return;
        if (pending.topic === gtSegTopic) gtSeg = { t: pending.logTimeNs, raw: pending.message as Raw };
        else gtGrid = { t: pending.logTimeNs, grid: gridFromFoxglove(pending.message as Record<string, unknown>, `${drivePath} ${topics.groundTruthOccupancy}`) };
        pending = undefined;
      }
    };

    const confusion = new Float64Array(CLASSES * CLASSES);
    let segFrames = 0;
    const occ = { frames: 0, freeCells: 0, freeCorrect: 0, occupiedCells: 0, occupiedNear: 0 };
    for await (const m of result.messages({ topics: [topics.segmentation(cameraId), topics.occupancy] })) {
      await advance(m.logTimeNs);
      if (m.topic === topics.occupancy) {
        if (!gtGrid || gtGrid.t !== m.logTimeNs) continue;
        scoreGrid(gridFromFoxglove(m.message as Record<string, unknown>, `${resultPath} ${topics.occupancy}`), gtGrid.grid, threshold, near, occ);
        occ.frames++;
      } else {
        if (!gtSeg || gtSeg.t !== m.logTimeNs) continue;
        accumulate(confusion, gtSeg.raw, m.message as Raw);
        segFrames++;
      }
    }
    if (segFrames === 0) throw new Error(`${resultPath}: no segmentation at the times of ${drivePath}'s ground truth; is it the replay of that drive?`);

    const perClass: ClassScore[] = [];
    let correct = 0;
    let total = 0;
    for (let c = 0; c < CLASSES; c++) {
      if (c === Label.void) continue;
      let gt = 0;
      let pred = 0;
      for (let k = 0; k < CLASSES; k++) {
        gt += confusion[c * CLASSES + k];
        if (k !== c) pred += confusion[k * CLASSES + c];
      }
      const tp = confusion[c * CLASSES + c];
      correct += tp;
      total += gt;
      if (gt > 0) perClass.push({ id: c, name: CAMVID_NAMES[c], iou: tp / (gt + pred), gtPixels: gt });
    }
    return {
      segmentation: {
        frames: segFrames,
        pixelAccuracy: total ? correct / total : 0,
        mIoU: perClass.length ? perClass.reduce((s, c) => s + c.iou, 0) / perClass.length : 0,
        perClass,
      },
      occupancy: {
        frames: occ.frames,
        freeCells: occ.freeCells,
        freeCorrect: occ.freeCells ? occ.freeCorrect / occ.freeCells : NaN,
        occupiedCells: occ.occupiedCells,
        occupiedNearTruth: occ.occupiedCells ? occ.occupiedNear / occ.occupiedCells : NaN,
        nearMetres: near,
      },
    };
  } finally {
    await result.close();
    await truth.close();
  }
}

/** Confusion counts (row = truth, column = prediction); the prediction is resampled nearest to the truth's size. Void truth is skipped. */
function accumulate(confusion: Float64Array, gt: Raw, pred: Raw): void {
  const { width: W, height: H } = gt;
  for (let y = 0; y < H; y++) {
    const py = Math.min(pred.height - 1, Math.floor(((y + 0.5) * pred.height) / H));
    for (let x = 0; x < W; x++) {
      const g = gt.data[y * W + x];
      if (g >= Label.void) continue;
      const px = Math.min(pred.width - 1, Math.floor(((x + 0.5) * pred.width) / W));
      const p = pred.data[py * pred.width + px];
      confusion[g * CLASSES + (p < CLASSES ? p : Label.void)]++;
    }
  }
}

function truthAt(gt: OccupancyGrid, x: number, y: number): number {
  const col = Math.floor((x - gt.origin.x) / gt.resolution);
  const row = Math.floor((y - gt.origin.y) / gt.resolution);
  if (col < 0 || row < 0 || col >= gt.width || row >= gt.height) return 0;
  return gt.logOdds[row * gt.width + col];
}

function scoreGrid(grid: OccupancyGrid, gt: OccupancyGrid, threshold: number, near: number, acc: { freeCells: number; freeCorrect: number; occupiedCells: number; occupiedNear: number }): void {
  const c = Math.cos(grid.origin.yaw);
  const s = Math.sin(grid.origin.yaw);
  const r = grid.resolution;
  const steps = Math.ceil(near / gt.resolution);
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const v = grid.logOdds[row * grid.width + col];
      if (v > -threshold && v < threshold) continue;
      const lx = (col + 0.5) * r;
      const ly = (row + 0.5) * r;
      const x = grid.origin.x + c * lx - s * ly;
      const y = grid.origin.y + s * lx + c * ly;
      const t = truthAt(gt, x, y);
      if (t === 0) continue; // outside the ground-truth window
      if (v < 0) {
        acc.freeCells++;
        if (t < 0) acc.freeCorrect++;
        continue;
      }
      acc.occupiedCells++;
      let found = false;
      for (let dy = -steps; dy <= steps && !found; dy++) {
        for (let dx = -steps; dx <= steps && !found; dx++) {
          if (dx * dx + dy * dy <= steps * steps && truthAt(gt, x + dx * gt.resolution, y + dy * gt.resolution) > 0) found = true;
        }
      }
      if (found) acc.occupiedNear++;
    }
  }
}
