/**
 * Readers for the decoded Foxglove messages the viewer draws. Decoded protobuf arrives with the
 * schema's snake_case names, bigint nanosecond timestamps and bytes as Uint8Array. Every reader
 * tolerates missing optional fields and returns null when a message is unusable, so one bad
 * message hides a layer instead of breaking the page.
 */
import { identityPose, type Pose } from './pose-math.js';
import { percentToLogOdds } from '../../../datasets/drive-log/grid-message.js';

type Obj = Record<string, unknown>;

const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export function readPose(p: unknown): Pose {
  const o = (p ?? {}) as Obj;
  const pos = (o.position ?? {}) as Obj;
  const q = (o.orientation ?? {}) as Obj;
  const pose: Pose = {
    position: { x: num(pos.x), y: num(pos.y), z: num(pos.z) },
    orientation: { x: num(q.x), y: num(q.y), z: num(q.z), w: num(q.w, 1) },
  };
  const n = Math.hypot(pose.orientation.x, pose.orientation.y, pose.orientation.z, pose.orientation.w);
  if (n < 1e-9) return { ...pose, orientation: identityPose().orientation };
  for (const k of ['x', 'y', 'z', 'w'] as const) pose.orientation[k] /= n;
  return pose;
}

export interface Transform {
  parent: string;
  child: string;
  pose: Pose;
}

/** foxglove.FrameTransform: where `child` sits in `parent`. */
export function readFrameTransform(m: Obj): Transform {
  return {
    parent: String(m.parent_frame_id ?? ''),
    child: String(m.child_frame_id ?? ''),
    pose: readPose({ position: m.translation, orientation: m.rotation }),
  };
}

export interface Calibration {
  frameId: string;
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** k1, k2, p1, p2, k3 (plumb_bob); zeros when absent or another model. */
  distortion: [number, number, number, number, number];
}

export function readCalibration(m: Obj): Calibration | null {
  const K = (m.K ?? m.k) as number[] | undefined;
  const width = num(m.width);
  const height = num(m.height);
  if (!K || K.length < 9 || !(K[0]! > 0) || !(K[4]! > 0) || width <= 0 || height <= 0) return null;
  const D = ((m.D ?? m.d) as number[] | undefined) ?? [];
  const model = String(m.distortion_model ?? '');
  const usable = model === '' || model === 'plumb_bob' || model === 'rational_polynomial';
  const d = (i: number) => (usable ? num(D[i]) : 0);
  return {
    frameId: String(m.frame_id ?? ''),
    width,
    height,
    fx: K[0]!,
    fy: K[4]!,
    cx: K[2]!,
    cy: K[5]!,
    distortion: [d(0), d(1), d(2), d(3), d(4)],
  };
}

export interface CompressedImageMsg {
  frameId: string;
  format: string;
  data: Uint8Array;
}

export function readCompressedImage(m: Obj): CompressedImageMsg | null {
  const data = m.data;
  if (!(data instanceof Uint8Array) || data.byteLength === 0) return null;
  return { frameId: String(m.frame_id ?? ''), format: String(m.format ?? ''), data };
}

export interface RawImageMsg {
  width: number;
  height: number;
  encoding: string;
  step: number;
  data: Uint8Array;
}

export function readRawImage(m: Obj): RawImageMsg | null {
  const data = m.data;
  const width = num(m.width);
  const height = num(m.height);
  if (!(data instanceof Uint8Array) || width <= 0 || height <= 0) return null;
  const step = num(m.step) || width;
  if (data.byteLength < step * (height - 1) + width) return null;
  return { width, height, encoding: String(m.encoding ?? ''), step, data };
}

/** Foxglove NumericType values. */
const NUMERIC = { UINT8: 1, INT8: 2, UINT16: 3, INT16: 4, UINT32: 5, INT32: 6, FLOAT32: 7, FLOAT64: 8 } as const;
const NUMERIC_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 8: 8 };

interface PackedField {
  name: string;
  offset: number;
  type: number;
}

function readFields(v: unknown): PackedField[] {
  return ((v ?? []) as Obj[]).map((f) => ({
    name: String(f.name ?? ''),
    offset: num(f.offset),
    type: typeof f.type === 'string' ? (NUMERIC as Record<string, number>)[f.type] ?? 0 : num(f.type),
  }));
}

function readNumber(view: DataView, offset: number, type: number): number {
  switch (type) {
    case NUMERIC.UINT8:
      return view.getUint8(offset);
    case NUMERIC.INT8:
      return view.getInt8(offset);
    case NUMERIC.UINT16:
      return view.getUint16(offset, true);
    case NUMERIC.INT16:
      return view.getInt16(offset, true);
    case NUMERIC.UINT32:
      return view.getUint32(offset, true);
    case NUMERIC.INT32:
      return view.getInt32(offset, true);
    case NUMERIC.FLOAT32:
      return view.getFloat32(offset, true);
    case NUMERIC.FLOAT64:
      return view.getFloat64(offset, true);
    default:
      return NaN;
  }
}

export interface GridLayerData {
  frameId: string;
  /** Pose of the corner of cell (0, 0). */
  pose: Pose;
  cols: number;
  rows: number;
  cellX: number;
  cellY: number;
  /** Log-odds per cell, row-major, row 0 at the origin; 0 unknown, > 0 occupied, < 0 free. */
  logOdds: Float32Array;
}

/**
 * foxglove.Grid -> log-odds. A float field named log_odds is taken as is; otherwise the first
 * field is read as occupancy in percent (ROS convention, -1 or out of range = unknown).
 */
export function readGrid(m: Obj): GridLayerData | null {
  const data = m.data;
  const cols = num(m.column_count);
  const rowStride = num(m.row_stride);
  const cellStride = num(m.cell_stride);
  const cell = (m.cell_size ?? {}) as Obj;
  const fields = readFields(m.fields);
  if (!(data instanceof Uint8Array) || cols <= 0 || rowStride <= 0 || cellStride <= 0 || !fields.length) return null;
  const rows = Math.floor(data.byteLength / rowStride);
  if (rows <= 0) return null;
  const field = fields.find((f) => f.name === 'log_odds') ?? fields[0]!;
  if (!NUMERIC_SIZE[field.type]) return null;
  if (field.offset + NUMERIC_SIZE[field.type]! > cellStride || (cols - 1) * cellStride + cellStride > rowStride) return null;
  const isLogOdds = field.name === 'log_odds';
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const logOdds = new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = readNumber(view, r * rowStride + c * cellStride + field.offset, field.type);
      logOdds[r * cols + c] = isLogOdds ? (Number.isFinite(v) ? v : 0) : percentToLogOdds(v);
    }
  }
  return {
    frameId: String(m.frame_id ?? ''),
    pose: readPose(m.pose),
    cols,
    rows,
    cellX: num(cell.x, 1),
    cellY: num(cell.y, num(cell.x, 1)),
    logOdds,
  };
}

export interface PointCloudData {
  frameId: string;
  pose: Pose;
  /** x, y, z per point. */
  positions: Float32Array;
  /** Intensity per point when the cloud has one, else null. */
  intensity: Float32Array | null;
}

/** foxglove.PointCloud with float x, y, z fields (and optional intensity / reflectance). */
export function readPointCloud(m: Obj, maxPoints = 250_000): PointCloudData | null {
  const data = m.data;
  const stride = num(m.point_stride);
  const fields = readFields(m.fields);
  const fx = fields.find((f) => f.name === 'x');
  const fy = fields.find((f) => f.name === 'y');
  const fz = fields.find((f) => f.name === 'z');
  const fi = fields.find((f) => f.name === 'intensity' || f.name === 'reflectance' || f.name === 'i');
  if (!(data instanceof Uint8Array) || stride <= 0 || !fx || !fy || !fz) return null;
  const total = Math.floor(data.byteLength / stride);
  const step = Math.max(1, Math.ceil(total / maxPoints));
  const n = Math.floor(total / step);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const positions = new Float32Array(n * 3);
  const intensity = fi ? new Float32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const o = i * step * stride;
    positions[i * 3] = readNumber(view, o + fx.offset, fx.type);
    positions[i * 3 + 1] = readNumber(view, o + fy.offset, fy.type);
    positions[i * 3 + 2] = readNumber(view, o + fz.offset, fz.type);
    if (intensity && fi) intensity[i] = readNumber(view, o + fi.offset, fi.type);
  }
  return { frameId: String(m.frame_id ?? ''), pose: readPose(m.pose), positions, intensity };
}

export interface PathPoint {
  x: number;
  y: number;
  z: number;
  /** Speed in m/s when known. */
  v: number | null;
}

export interface PathData {
  frameId: string;
  points: PathPoint[];
}

/** foxglove.PosesInFrame. */
export function readPosesInFrame(m: Obj): PathData | null {
  const poses = (m.poses ?? []) as Obj[];
  if (!Array.isArray(poses)) return null;
  return {
    frameId: String(m.frame_id ?? ''),
    points: poses.map((p) => {
      const pose = readPose(p);
      return { x: pose.position.x, y: pose.position.y, z: pose.position.z, v: null };
    }),
  };
}

export interface TrajectoryInfo {
  status: string;
  reason?: string;
  cost?: number;
  planningMs?: number;
  frameId: string;
  points: { x: number; y: number; yaw: number; t: number; v: number }[];
}

/** JSON /planning/trajectory. */
export function readTrajectory(m: Obj): TrajectoryInfo | null {
  const pts = m.points;
  if (!Array.isArray(pts)) return null;
  return {
    status: String(m.status ?? ''),
    reason: typeof m.reason === 'string' ? m.reason : undefined,
    cost: typeof m.cost === 'number' ? m.cost : undefined,
    planningMs: typeof m.planningMs === 'number' ? m.planningMs : undefined,
    frameId: String(m.frameId ?? m.frame_id ?? 'world'),
    points: (pts as Obj[]).map((p) => ({ x: num(p.x), y: num(p.y), yaw: num(p.yaw), t: num(p.t), v: num(p.v) })),
  };
}

export interface FrameResultInfo {
  index: number;
  status: string;
  reason?: string;
  timings: Record<string, number>;
  diagnostics: { level: string; stage: string; message: string }[];
}

/** JSON /engine/frame_result. */
export function readFrameResult(m: Obj): FrameResultInfo {
  const timings: Record<string, number> = {};
  for (const [k, v] of Object.entries((m.timings ?? {}) as Obj)) if (typeof v === 'number') timings[k] = v;
  const diagnostics = Array.isArray(m.diagnostics)
    ? (m.diagnostics as Obj[]).map((d) => ({
        level: String(d.level ?? 'info'),
        stage: String(d.stage ?? ''),
        message: String(d.message ?? ''),
      }))
    : [];
  return {
    index: num(m.index, -1),
    status: String(m.status ?? 'processed'),
    reason: typeof m.reason === 'string' ? m.reason : undefined,
    timings,
    diagnostics,
  };
}
