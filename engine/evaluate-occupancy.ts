/**
 * Camera-only occupancy against lidar ground truth on a KITTI raw drive: the engine runs the
 * segmentation model on image_02 of every frame and fuses the grid as usual; at each frame
 * with a velodyne scan the fused grid is compared cell by cell with the scan's ground truth
 * (lidar-ground-truth.ts) inside the camera's field of view between minRange and maxRange.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import type { ClassInfo, FrameResult, Pose3, SensorFrame } from '../types/index.js';
import { openKittiRaw } from '../sensors/sources/kitti-raw.js';
import { transformPoint } from '../sensors/pose.js';
import { frames as frameIds } from '../types/topics.js';
import { blend, colouriseClasses, writeSideBySide, writeStacked } from './perception/visualize.js';
import { decodeImage } from './perception/decode.js';
import { resizeNearest } from './perception/postprocess.js';
import { createEngine, type EngineConfig } from './create-engine.js';
import { GT_FREE, GT_OCCUPIED, gridGeometry, lidarGroundTruth, type GridGeometry, type LidarGroundTruthOptions } from './occupancy/lidar-ground-truth.js';
import {
  addCounts,
  compareOccupancy,
  defaultOccupancyThresholds,
  emptyCounts,
  fieldOfViewMask,
  rangeBandMask,
  scoreOccupancy,
  visibleTruth,
  type OccupancyCounts,
  type OccupancyScores,
  type OccupancyThresholds,
} from './occupancy/occupancy-metrics.js';
import type { LidarScan } from '../sensors/sources/frame-source.js';
import { LidarOracleSegmenter } from './occupancy/lidar-oracle.js';

export interface OccupancyEvalOptions {
  engine?: EngineConfig;
  /** Evaluated ring around the camera (metres), default 3..30. */
  minRange?: number;
  maxRange?: number;
  thresholds?: OccupancyThresholds;
  groundTruth?: Partial<LidarGroundTruthOptions>;
  /** Folder for ground truth | prediction PNGs, and how many frames to draw (default 3). */
  pngDir?: string;
  pngCount?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Pair image_03 with image_02 for the stereo ground check (default: when the drive has
   * image_03). false: the segmentation alone.
   */
  stereo?: boolean;
  /**
   * Segment with the lidar oracle instead of the model (occupancy/lidar-oracle.ts): the same
   * walk and fusion fed perfect obstacle/road maps, the ceiling at this image size.
   */
  lidarOracle?: boolean;
}

export interface OccupancyFrameReport {
  index: number;
  scores: OccupancyScores;
  groundPlane: { a: number; b: number; c: number; inliers: number };
  truthCells: { free: number; occupied: number };
}

export interface OccupancyEvalReport {
  drive: string;
  /** What made the class maps: 'model', 'model + stereo (image_03)' or 'lidar oracle'. */
  segmentation: string;
  frames: number;
  evaluatedFrames: number;
  region: string;
  thresholds: OccupancyThresholds;
  /** Strict cell-by-cell scores over all evaluated frames. */
  scores: OccupancyScores;
  /** Same, with an occupied cell one cell off counted as a match. */
  scoresWithin1Cell: OccupancyScores;
  /**
   * Against the truth the camera could see (rays from the camera stop at the first occupied
   * truth cell): strict, and with one cell of tolerance for occupied cells.
   */
  visible: OccupancyScores;
  visibleWithin1Cell: OccupancyScores;
  /**
   * visibleWithin1Cell by distance band: one image row covers more road the further it looks,
   * so this shows where contacts land in the right cell and where they cannot.
   */
  byRange: { from: number; to: number; visibleWithin1Cell: OccupancyScores }[];
  perFrame: OccupancyFrameReport[];
  pngs: string[];
  occupancyMs: { p50: number; p95: number };
  failedFrames: { index: number; reason: string }[];
}

/** [min, 10), [10, 20), [20, max] where they fall inside [min, max]. */
function rangeBands(minRange: number, maxRange: number): [number, number][] {
  const cuts = [minRange, ...[10, 20].filter((c) => c > minRange && c < maxRange), maxRange];
  return cuts.slice(1).map((to, k) => [cuts[k], to]);
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/**
 * Top-down pictures in the vehicle frame (forward = up), `span` metres ahead and span/2 to
 * each side: unknown grey, free white, occupied black; outside the evaluated region darker.
 */
const STATE_COLOURS = [
  [150, 150, 150],
  [245, 245, 245],
  [20, 20, 20],
];

/**
 * Agreement colours, index = 3 * prediction + truth: occupied hits green, false occupied red,
 * missed occupied blue, free on an obstacle magenta, agreed free white, the rest grey.
 */
const AGREEMENT_COLOURS = [
  [150, 150, 150], [190, 190, 190], [40, 90, 255],
  [190, 190, 190], [245, 245, 245], [255, 0, 255],
  [150, 150, 150], [255, 40, 40], [0, 200, 0],
];

function topDown(
  stateAt: (i: number) => number,
  mask: Uint8Array,
  g: GridGeometry,
  vehicleToWorld: Pose3,
  size: number,
  span: number,
  colours: number[][] = STATE_COLOURS,
): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  const m = vehicleToWorld;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = ((size - 1 - py) / size) * span;
      const y = (0.5 - px / size) * span;
      const w = transformPoint(m, { x, y, z: 0 });
      const col = Math.floor(w.x / g.resolution) - g.originCellX;
      const row = Math.floor(w.y / g.resolution) - g.originCellY;
      const o = (py * size + px) * 3;
      if (col < 0 || row < 0 || col >= g.width || row >= g.height) continue;
      const i = row * g.width + col;
      const c = colours[stateAt(i)];
      const k = mask[i] ? 1 : 0.55;
      out[o] = c[0] * k;
      out[o + 1] = c[1] * k;
      out[o + 2] = c[2] * k;
    }
  }
  return out;
}

/** The lidar oracle of a drive: reads every frame and scan first (it needs them all). */
async function lidarOracleFor(driveDir: string, lidarToVehicle: Pose3, opts: OccupancyEvalOptions): Promise<LidarOracleSegmenter> {
  const source = await openKittiRaw(driveDir, { cameras: ['image_02'], lidar: true });
  const frames = new Map<bigint, SensorFrame>();
  const scans: LidarScan[] = [];
  for await (const item of source.items()) {
    if (item.kind === 'frame') frames.set(item.frame.timeNs, { ...item.frame, image: { format: 'png', data: new Uint8Array(0) } });
    else if (item.kind === 'lidar') scans.push(item.scan);
  }
  return new LidarOracleSegmenter(scans, {
    frameAt: (t) => frames.get(t),
    lidarToVehicle,
    groundTruth: opts.groundTruth,
    levelGround: opts.engine?.occupancy?.levelGround,
  });
}

interface CameraPanels {
  width: number;
  height: number;
  panels: Uint8Array[];
}

/** Light green: pixels the stereo check found flat like the road. */
const FLAT_COLOUR = [40, 230, 120] as const;

/**
 * The camera's view of a frame, top to bottom: the image, the class map over it, and (with a
 * stereo check) the pixels stereo found flat over it: what the walk saw.
 */
async function cameraPanels(r: FrameResult): Promise<CameraPanels> {
  const { rgb, width, height } = await decodeImage(r.frame!.image);
  const panels = [rgb];
  const seg = r.segmentation;
  if (seg) {
    const classes = seg.width === width && seg.height === height ? seg.classes : resizeNearest(seg.classes, seg.width, seg.height, width, height);
    panels.push(blend(rgb, colouriseClasses(classes, classColours(seg.classTable)), 0.5));
  }
  const st = r.stereoGround;
  if (st && st.width === width && st.height === height) panels.push(blend(rgb, FLAT_COLOUR, 0.6, (i) => st.mask[i] === 1));
  return { width, height, panels };
}

function classColours(table: ClassInfo[]): [number, number, number][] {
  const colours: [number, number, number][] = [];
  for (const c of table) colours[c.id] = c.color;
  return colours;
}

export async function evaluateOccupancyOnKitti(driveDir: string, opts: OccupancyEvalOptions = {}): Promise<OccupancyEvalReport> {
  const minRange = opts.minRange ?? 3;
  const maxRange = opts.maxRange ?? 30;
  const thresholds = opts.thresholds ?? defaultOccupancyThresholds;
  const stereo = !opts.lidarOracle && (opts.stereo ?? existsSync(join(driveDir, 'image_03', 'data')));
  const source = await openKittiRaw(driveDir, { cameras: stereo ? ['image_02', 'image_03'] : ['image_02'], stereoPairs: stereo, lidar: true });
  const mount = source.mounts.find((m) => m.child === frameIds.lidar);
  if (!mount) throw new Error(`${driveDir}: no velodyne_points scans: the occupancy evaluation needs lidar`);

  const scans = new Map<number, LidarScan>();
  let passedIndex = -1;
  async function* frames(): AsyncGenerator<SensorFrame> {
    for await (const item of source.items()) {
      if (item.kind === 'lidar') scans.set(item.scan.index, item.scan);
      else if (item.kind === 'frame') {
        passedIndex = item.frame.index - 1;
        yield item.frame;
      }
    }
    passedIndex = Infinity;
  }

  const oracle = opts.lidarOracle ? await lidarOracleFor(driveDir, mount.pose, opts) : undefined;
  const engine = await createEngine({ ...opts.engine, ...(oracle ? { segmenter: oracle, stereo: false } : {}), mode: 'replay', keepFrames: true });
  const kept: FrameResult[] = [];
  const occupancyMs: number[] = [];
  const failedFrames: { index: number; reason: string }[] = [];
  let done = 0;
  try {
    await lastValueFrom(
      engine.run(frames()).pipe(
        tap((r) => {
          done++;
          opts.onProgress?.(done, source.expectedFrames ?? 0);
          if (r.status !== 'processed') {
            failedFrames.push({ index: r.index, reason: r.reason ?? r.status });
            return;
          }
          occupancyMs.push((r.timings.project ?? 0) + (r.timings.fuse ?? 0));
          // Keep a result only while its scan may still come (the scan follows its frame).
          if (scans.has(r.index) || r.index > passedIndex) kept.push(r);
        }),
      ),
      { defaultValue: undefined },
    );
  } finally {
    await engine.dispose();
  }

  let total = emptyCounts();
  let totalTol = emptyCounts();
  let totalVis = emptyCounts();
  let totalVisTol = emptyCounts();
  const bands = rangeBands(minRange, maxRange).map(([from, to]) => ({ from, to, counts: emptyCounts() }));
  const perFrame: OccupancyFrameReport[] = [];
  const drawn: { index: number; panels: Uint8Array[]; result: FrameResult }[] = [];
  const evaluated = kept.filter((r) => scans.has(r.index));
  const pngCount = opts.pngCount ?? 3;
  const drawAt = new Set(
    Array.from({ length: Math.min(pngCount, evaluated.length) }, (_, k) => evaluated[Math.round((k * (evaluated.length - 1)) / Math.max(1, pngCount - 1))]?.index),
  );
  for (const r of evaluated) {
    const frame = r.frame!;
    const grid = r.grid!;
    const geometry = gridGeometry(grid);
    const gt = lidarGroundTruth(scans.get(r.index)!.xyzi, mount.pose, frame.egoPose!, geometry, { groundZ: frame.groundZ ?? 0, ...opts.groundTruth });
    const mask = fieldOfViewMask(geometry, frame.calibration, frame.egoPose!, frame.groundZ ?? 0, minRange, maxRange);
    const counts: OccupancyCounts = compareOccupancy(grid.logOdds, gt.states, mask, grid.width, thresholds);
    total = addCounts(total, counts);
    totalTol = addCounts(totalTol, compareOccupancy(grid.logOdds, gt.states, mask, grid.width, thresholds, 1));
    const camera = transformPoint(frame.egoPose!, frame.calibration.cameraToVehicle.position);
    const seen = visibleTruth(gt.states, mask, geometry, camera, maxRange);
    totalVis = addCounts(totalVis, compareOccupancy(grid.logOdds, seen, mask, grid.width, thresholds));
    totalVisTol = addCounts(totalVisTol, compareOccupancy(grid.logOdds, seen, mask, grid.width, thresholds, 1));
    for (const [k, b] of bands.entries()) {
      const band = rangeBandMask(mask, geometry, camera, b.from, b.to, k === bands.length - 1);
      b.counts = addCounts(b.counts, compareOccupancy(grid.logOdds, seen, band, grid.width, thresholds, 1));
    }
    let free = 0;
    let occupied = 0;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      if (gt.states[i] === GT_FREE) free++;
      else if (gt.states[i] === GT_OCCUPIED) occupied++;
    }
    perFrame.push({ index: r.index, scores: scoreOccupancy(counts), groundPlane: gt.plane, truthCells: { free, occupied } });
    if (opts.pngDir && drawAt.has(r.index)) {
      const size = 360;
      const span = maxRange + 6;
      const l = grid.logOdds;
      const pred = (i: number) => (l[i] > thresholds.occupied ? GT_OCCUPIED : l[i] < -thresholds.free ? GT_FREE : 0);
      drawn.push({
        index: r.index,
        panels: [
          topDown((i) => gt.states[i], mask, geometry, frame.egoPose!, size, span),
          topDown(pred, mask, geometry, frame.egoPose!, size, span),
          topDown((i) => 3 * pred(i) + gt.states[i], mask, geometry, frame.egoPose!, size, span, AGREEMENT_COLOURS),
        ],
        result: r,
      });
    }
  }
  const pngs: string[] = [];
  if (opts.pngDir) {
    mkdirSync(opts.pngDir, { recursive: true });
    for (const d of drawn) {
      const path = join(opts.pngDir, `occupancy-${String(d.index).padStart(4, '0')}.png`);
      await writeSideBySide(path, d.panels, 360, 360);
      pngs.push(path);
      const cam = await cameraPanels(d.result);
      const camPath = join(opts.pngDir, `camera-${String(d.index).padStart(4, '0')}.png`);
      await writeStacked(camPath, cam.panels, cam.width, cam.height);
      pngs.push(camPath);
    }
  }
  return {
    drive: driveDir,
    segmentation: oracle ? 'lidar oracle' : stereo ? 'model + stereo (image_03)' : 'model',
    frames: done,
    evaluatedFrames: perFrame.length,
    region: `camera field of view, ${minRange}..${maxRange} m`,
    thresholds,
    scores: scoreOccupancy(total),
    scoresWithin1Cell: scoreOccupancy(totalTol),
    visible: scoreOccupancy(totalVis),
    visibleWithin1Cell: scoreOccupancy(totalVisTol),
    byRange: bands.map((b) => ({ from: b.from, to: b.to, visibleWithin1Cell: scoreOccupancy(b.counts) })),
    perFrame,
    pngs,
    occupancyMs: { p50: quantile(occupancyMs, 0.5), p95: quantile(occupancyMs, 0.95) },
    failedFrames,
  };
}
