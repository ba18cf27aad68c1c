/**
 * grokdrive types <-> Foxglove message objects (snake_case fields, bigint timestamps), as the
 * drive log stores them.
 */
import type { CameraCalibration, ImageData, Pose3 } from '../../types/index.js';

export type FoxgloveObject = Record<string, unknown>;

export function calibrationToFoxglove(calib: CameraCalibration, timeNs: bigint): FoxgloveObject {
  const { fx, fy, cx, cy } = calib;
  return {
    timestamp: timeNs,
    frame_id: calib.cameraId,
    width: calib.width,
    height: calib.height,
    distortion_model: 'plumb_bob',
    D: [...calib.distortion],
    K: [fx, 0, cx, 0, fy, cy, 0, 0, 1],
    R: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    P: [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0],
  };
}

/** The intrinsics of a foxglove.CameraCalibration; the mount comes from /tf_static. */
export function calibrationFromFoxglove(msg: FoxgloveObject, cameraToVehicle: Pose3, where: string): CameraCalibration {
  const K = msg.K as number[];
  const D = (msg.D as number[]) ?? [];
  if (!Array.isArray(K) || K.length !== 9) throw new Error(`${where}: CameraCalibration.K must hold 9 numbers`);
  const model = msg.distortion_model as string;
  if (D.some((d) => d !== 0) && model !== 'plumb_bob' && model !== 'rational_polynomial') {
    throw new Error(`${where}: unsupported distortion model '${model}' (grokdrive reads plumb_bob)`);
  }
  if (D.length > 5 && D.slice(5).some((d) => d !== 0)) {
    throw new Error(`${where}: distortion has ${D.length} non-zero coefficients; grokdrive reads 5 (k1 k2 p1 p2 k3)`);
  }
  const d = [0, 0, 0, 0, 0].map((z, i) => D[i] ?? z) as CameraCalibration['distortion'];
  return {
    cameraId: msg.frame_id as string,
    width: msg.width as number,
    height: msg.height as number,
    fx: K[0],
    fy: K[4],
    cx: K[2],
    cy: K[5],
    distortion: d,
    cameraToVehicle,
  };
}

export function transformToFoxglove(timeNs: bigint, parent: string, child: string, pose: Pose3): FoxgloveObject {
  return {
    timestamp: timeNs,
    parent_frame_id: parent,
    child_frame_id: child,
    translation: { ...pose.position },
    rotation: { ...pose.orientation },
  };
}

export interface StampedTransform {
  timeNs: bigint;
  parent: string;
  child: string;
  pose: Pose3;
}

export function transformFromFoxglove(msg: FoxgloveObject): StampedTransform {
  const t = msg.translation as { x: number; y: number; z: number };
  const r = msg.rotation as { x: number; y: number; z: number; w: number };
  return {
    timeNs: msg.timestamp as bigint,
    parent: msg.parent_frame_id as string,
    child: msg.child_frame_id as string,
    pose: { position: { x: t.x, y: t.y, z: t.z }, orientation: { x: r.x, y: r.y, z: r.z, w: r.w } },
  };
}

export function compressedImageToFoxglove(timeNs: bigint, frameId: string, format: 'jpeg' | 'png', data: Uint8Array): FoxgloveObject {
  return { timestamp: timeNs, frame_id: frameId, data, format };
}

/** CompressedImage -> ImageData. The bytes are copied so a frame does not pin its chunk. */
export function compressedImageFromFoxglove(msg: FoxgloveObject, where: string): ImageData {
  const f = String(msg.format).toLowerCase();
  const format = f === 'jpg' || f === 'jpeg' ? 'jpeg' : f === 'png' ? 'png' : undefined;
  if (!format) throw new Error(`${where}: unsupported image format '${msg.format}' (grokdrive reads jpeg and png)`);
  return { format, data: new Uint8Array(msg.data as Uint8Array) };
}

/** foxglove.PointCloud of float32 x, y, z, intensity (KITTI's own .bin layout). */
export function pointCloudToFoxglove(timeNs: bigint, frameId: string, xyzi: Float32Array): FoxgloveObject {
  if (xyzi.length % 4 !== 0) throw new RangeError(`point cloud for ${frameId}: ${xyzi.length} floats is not a multiple of 4 (x, y, z, intensity)`);
  const FLOAT32 = 7;
  return {
    timestamp: timeNs,
    frame_id: frameId,
    pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
    point_stride: 16,
    fields: [
      { name: 'x', offset: 0, type: FLOAT32 },
      { name: 'y', offset: 4, type: FLOAT32 },
      { name: 'z', offset: 8, type: FLOAT32 },
      { name: 'intensity', offset: 12, type: FLOAT32 },
    ],
    data: new Uint8Array(xyzi.buffer, xyzi.byteOffset, xyzi.byteLength),
  };
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A PointCloud with 16-byte x, y, z, intensity float32 points -> Float32Array (copied, aligned). */
export function pointCloudFromFoxglove(msg: FoxgloveObject, where: string): { frameId: string; xyzi: Float32Array } {
  const fields = (msg.fields as { name: string; offset: number; type: number }[]) ?? [];
  const stride = msg.point_stride as number;
  const offsetOf = (name: string): number => {
    const f = fields.find((x) => x.name === name);
    if (!f || f.type !== 7) throw new Error(`${where}: point cloud has no float32 field '${name}'`);
    return f.offset;
  };
  const ox = offsetOf('x'), oy = offsetOf('y'), oz = offsetOf('z');
  const oi = fields.some((f) => f.name === 'intensity') ? offsetOf('intensity') : -1;
  const data = msg.data as Uint8Array;
  if (!(stride > 0) || data.byteLength % stride !== 0) throw new Error(`${where}: point data of ${data.byteLength} bytes is not a whole number of ${stride}-byte points`);
  const n = data.byteLength / stride;
  const out = new Float32Array(n * 4);
  // Already packed x, y, z, intensity (how grokdrive writes clouds): one copy of the bytes.
  if (HOST_LITTLE_ENDIAN && stride === 16 && ox === 0 && oy === 4 && oz === 8 && oi === 12) {
    new Uint8Array(out.buffer).set(data);
    return { frameId: msg.frame_id as string, xyzi: out };
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0, p = 0; i < n; i++, p += stride) {
    out[i * 4] = view.getFloat32(p + ox, true);
    out[i * 4 + 1] = view.getFloat32(p + oy, true);
    out[i * 4 + 2] = view.getFloat32(p + oz, true);
    out[i * 4 + 3] = oi >= 0 ? view.getFloat32(p + oi, true) : 0;
  }
  return { frameId: msg.frame_id as string, xyzi: out };
}
