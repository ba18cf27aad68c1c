/**
 * OccupancyGrid <-> foxglove.Grid, so every writer of grids produces the same message: one
 * float32 field `log_odds`, cells row-major, row 0 at the origin, origin pose in `frameId`.
 */
import type { OccupancyGrid } from '../../types/index.js';
import { quatFromEuler, yawFromQuat } from '../../sensors/pose.js';

const FLOAT32 = 7;

export function gridToFoxglove(grid: OccupancyGrid): Record<string, unknown> {
  if (grid.logOdds.length !== grid.width * grid.height) {
    throw new RangeError(`grid at ${grid.timeNs} ns: ${grid.logOdds.length} cells for ${grid.width}x${grid.height}`);
  }
  return {
    timestamp: grid.timeNs,
    frame_id: grid.frameId,
    pose: {
      position: { x: grid.origin.x, y: grid.origin.y, z: 0 },
      orientation: quatFromEuler(0, 0, grid.origin.yaw),
    },
    column_count: grid.width,
    cell_size: { x: grid.resolution, y: grid.resolution },
    row_stride: grid.width * 4,
    cell_stride: 4,
    fields: [{ name: 'log_odds', offset: 0, type: FLOAT32 }],
    data: new Uint8Array(grid.logOdds.buffer, grid.logOdds.byteOffset, grid.logOdds.byteLength),
  };
}

export function gridFromFoxglove(msg: Record<string, unknown>, where = 'foxglove.Grid'): OccupancyGrid {
  const fields = (msg.fields as { name: string; offset: number; type: number }[]) ?? [];
  const field = fields.find((f) => f.name === 'log_odds');
  if (!field || field.type !== FLOAT32) throw new Error(`${where}: grid has no float32 field 'log_odds'`);
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
  if (cellStride === 4 && rowStride === width * 4 && field.offset === 0 && data.byteOffset % 4 === 0) {
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
