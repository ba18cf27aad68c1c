/**
 * OccupancyGrid <-> foxglove.Grid, so every writer of grids produces the same message: one
 * int8 field `occupancy` in the ROS convention (0-100 percent occupied, -1 unknown), cells
 * row-major, row 0 at the origin, origin pose in `frameId`.
 *
 * One byte a cell rather than float32 log-odds: a 400x400 grid is written every frame, and a
 * quarter of the bytes is a quarter of the encoding and compression work. Percent steps are
 * finer than 0.05 in log-odds near the 50 % decision boundary. Log-odds 0 (never observed, or
 * decayed to within 1/512 of it) is -1; float32 `log_odds` grids from older logs are still
 * read.
 */
import type { OccupancyGrid } from '../../types/index.js';
import { quatFromEuler, yawFromQuat } from '../../sensors/pose.js';

const INT8 = 2;
const FLOAT32 = 7;
const UNKNOWN = -1;

// Percent for log-odds in [-LUT_RANGE, LUT_RANGE] at LUT_STEPS per unit (beyond it, 0 or 100).
// Entry 0 stands for NaN, and the step around 0 for unknown: both -1.
const LUT_RANGE = 8;
const LUT_STEPS = 256;
const LUT_ZERO = LUT_RANGE * LUT_STEPS;
const percentLut = (() => {
  const lut = new Int8Array(2 * LUT_ZERO + 1);
  for (let i = 1; i < lut.length; i++) {
    const l = i / LUT_STEPS - LUT_RANGE;
    lut[i] = Math.round(100 / (1 + Math.exp(-l)));
  }
  lut[0] = UNKNOWN;
  lut[LUT_ZERO] = UNKNOWN;
  return lut;
})();

/**
 * Log-odds -> percent occupied; -1 where the cell is unknown: log-odds within 1/512 of 0 (p
 * within 0.05 % of a half: never observed, or decayed to nothing) or not a number.
 */
export function logOddsToPercent(logOdds: Float32Array, out = new Int8Array(logOdds.length)): Int8Array {
  const top = percentLut.length - 1;
  const shift = LUT_ZERO + 0.5; // + 0.5 then truncation rounds to the nearest step
  // No branches: grids mix unknown, free and occupied cells unpredictably. NaN stays NaN
  // through min and max, and NaN | 0 is entry 0.
  for (let i = 0; i < logOdds.length; i++) out[i] = percentLut[Math.min(Math.max(logOdds[i] * LUT_STEPS + shift, 1), top) | 0];
  return out;
}

const logOddsOfPercent = Float32Array.from({ length: 101 }, (_, p) => {
  const q = Math.min(0.995, Math.max(0.005, p / 100));
  return Math.log(q / (1 - q));
});

/** Percent occupied (ROS convention) -> log-odds; -1 or out of range -> 0 (unknown). */
export function percentToLogOdds(p: number): number {
  if (!(p >= 0 && p <= 100)) return 0;
  if (Number.isInteger(p)) return logOddsOfPercent[p];
  const q = Math.min(0.995, Math.max(0.005, p / 100));
  return Math.log(q / (1 - q));
}

export function gridToFoxglove(grid: OccupancyGrid): Record<string, unknown> {
  if (grid.logOdds.length !== grid.width * grid.height) {
    throw new RangeError(`grid at ${grid.timeNs} ns: ${grid.logOdds.length} cells for ${grid.width}x${grid.height}`);
  }
  const percent = logOddsToPercent(grid.logOdds);
  return {
    timestamp: grid.timeNs,
    frame_id: grid.frameId,
    pose: {
      position: { x: grid.origin.x, y: grid.origin.y, z: 0 },
      orientation: quatFromEuler(0, 0, grid.origin.yaw),
    },
    column_count: grid.width,
    cell_size: { x: grid.resolution, y: grid.resolution },
    row_stride: grid.width,
    cell_stride: 1,
    fields: [{ name: 'occupancy', offset: 0, type: INT8 }],
    data: new Uint8Array(percent.buffer, percent.byteOffset, percent.byteLength),
  };
}

export function gridFromFoxglove(msg: Record<string, unknown>, where = 'foxglove.Grid'): OccupancyGrid {
  const fields = (msg.fields as { name: string; offset: number; type: number }[]) ?? [];
  const field = fields.find((f) => (f.name === 'occupancy' && f.type === INT8) || (f.name === 'log_odds' && f.type === FLOAT32));
  if (!field) throw new Error(`${where}: grid has neither an int8 field 'occupancy' nor a float32 field 'log_odds'`);
  const width = msg.column_count as number;
  const rowStride = msg.row_stride as number;
  const cellStride = msg.cell_stride as number;
  const data = msg.data as Uint8Array;
  const cell = msg.cell_size as { x: number; y: number };
  if (!(width > 0) || !(rowStride >= width * cellStride) || data.byteLength % rowStride !== 0) {
    throw new Error(`${where}: inconsistent grid layout (columns ${width}, row stride ${rowStride}, cell stride ${cellStride}, ${data.byteLength} bytes)`);
  }
  if (Math.abs(cell.x - cell.y) > 1e-9 * Math.max(1, cell.x)) throw new Error(`${where}: non-square cells ${cell.x} x ${cell.y} m`);
  const height = data.byteLength / rowStride;
  const logOdds = new Float32Array(width * height);
  if (field.type === INT8) {
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const p = (data[r * rowStride + c * cellStride + field.offset] << 24) >> 24; // as int8
        logOdds[r * width + c] = percentToLogOdds(p);
      }
    }
  } else if (cellStride === 4 && rowStride === width * 4 && field.offset === 0 && data.byteOffset % 4 === 0) {
    logOdds.set(new Float32Array(data.buffer, data.byteOffset, width * height));
  } else {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) logOdds[r * width + c] = view.getFloat32(r * rowStride + c * cellStride + field.offset, true);
    }
  }
  const pose = msg.pose as { position: { x: number; y: number }; orientation: { x: number; y: number; z: number; w: number } };
  return {
    timeNs: msg.timestamp as bigint,
    frameId: msg.frame_id as string,
    origin: { x: pose.position.x, y: pose.position.y, yaw: yawFromQuat(pose.orientation) },
    resolution: cell.x,
    width,
    height,
    logOdds,
  };
}
