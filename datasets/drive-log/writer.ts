/**
 * DriveWriter: records a drive as MCAP (chunked, indexed, zstd) with Foxglove schemas.
 *
 * Per camera frame: foxglove.CompressedImage on /camera/<id>/image (MCAP sequence = frame
 * index), foxglove.CameraCalibration on /camera/<id>/calibration at the same log time, the ego
 * pose as foxglove.FrameTransform world -> base_link on /ego/pose, and the camera mount as a
 * FrameTransform base_link -> <id> on /tf_static whenever it is new or changes. A frame's
 * groundZ (road height in the vehicle frame) is the static transform base_link -> road.
 */
import sharp from 'sharp';
import { endianness } from 'node:os';
import type { ImageData, Pose3, SensorFrame } from '../../types/index.js';
import { frames as frameIds, topics } from '../../types/topics.js';
import { McapFileWriter, type McapFileWriterOptions } from '../mcap/mcap-file-writer.js';
import {
  calibrationToFoxglove,
  compressedImageToFoxglove,
  pointCloudToFoxglove,
  transformToFoxglove,
} from './foxglove-convert.js';

export type DriveWriterOptions = McapFileWriterOptions;

if (endianness() !== 'LE') throw new Error('grokdrive drive logs store float32 data little-endian; this host is big-endian');

function samePose(a: Pose3, b: Pose3): boolean {
  const p = a.position, q = b.position, r = a.orientation, s = b.orientation;
  return p.x === q.x && p.y === q.y && p.z === q.z && r.x === s.x && r.y === s.y && r.z === s.z && r.w === s.w;
}

/** Raw pixels are stored losslessly as PNG (CompressedImage carries no raw pixels). */
async function compressedBytes(image: ImageData, where: string): Promise<{ format: 'jpeg' | 'png'; data: Uint8Array }> {
  if (image.format !== 'rgb8' && image.format !== 'mono8') return { format: image.format, data: image.data };
  const channels = image.format === 'rgb8' ? 3 : 1;
  if (image.data.length !== image.width * image.height * channels) {
    throw new RangeError(`${where}: ${image.format} image of ${image.width}x${image.height} needs ${image.width * image.height * channels} bytes, got ${image.data.length}`);
  }
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels } }).png().toBuffer();
  return { format: 'png', data: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) };
}

export class DriveWriter {
  #mounts = new Map<string, Pose3>();
  #lastEgoTime: bigint | undefined;
  #staticTransforms = new Map<string, Pose3>();

  private constructor(private readonly out: McapFileWriter) {}

  get path(): string {
    return this.out.path;
  }

  static async create(path: string, opts: DriveWriterOptions = {}): Promise<DriveWriter> {
    return new DriveWriter(await McapFileWriter.create(path, opts));
  }

  /** Image + calibration (+ ego pose, + camera mount when new) of one camera frame. */
  async writeFrame(frame: SensorFrame): Promise<void> {
    const { timeNs, calibration: calib } = frame;
    const cameraId = frame.cameraId;
    const where = frame.source ?? `frame ${frame.index} of ${cameraId}`;
    if (calib.cameraId !== cameraId) {
      throw new Error(`${where}: calibration is for camera '${calib.cameraId}', frame is from '${cameraId}'`);
    }
    const image = await compressedBytes(frame.image, where);

    const mount = this.#mounts.get(cameraId);
    if (!mount || !samePose(mount, calib.cameraToVehicle)) {
      await this.writeStaticTransform(timeNs, frameIds.vehicle, cameraId, calib.cameraToVehicle);
      this.#mounts.set(cameraId, calib.cameraToVehicle);
    }
    if (frame.groundZ !== undefined) {
      const road: Pose3 = { position: { x: 0, y: 0, z: frame.groundZ }, orientation: { x: 0, y: 0, z: 0, w: 1 } };
      await this.writeStaticTransform(timeNs, frameIds.vehicle, frameIds.road, road);
    }
    // Several cameras share one capture time: one ego pose per time is enough.
    if (frame.egoPose && this.#lastEgoTime !== timeNs) {
      await this.writeEgoPose(timeNs, frame.egoPose);
    }
    await this.out.writeFoxglove(topics.cameraCalibration(cameraId), 'foxglove.CameraCalibration', timeNs, calibrationToFoxglove(calib, timeNs), frame.index);
    await this.out.writeFoxglove(topics.cameraImage(cameraId), 'foxglove.CompressedImage', timeNs, compressedImageToFoxglove(timeNs, cameraId, image.format, image.data), frame.index);
  }

  /** The vehicle's pose in the world frame (FrameTransform world -> base_link). */
  async writeEgoPose(timeNs: bigint, pose: Pose3): Promise<void> {
    await this.out.writeFoxglove(topics.egoPose, 'foxglove.FrameTransform', timeNs, transformToFoxglove(timeNs, frameIds.world, frameIds.vehicle, pose));
    this.#lastEgoTime = timeNs;
  }

  /** A fixed mount (e.g. base_link -> velodyne) on /tf_static; repeated writes of the same one are skipped. */
  async writeStaticTransform(timeNs: bigint, parent: string, child: string, pose: Pose3): Promise<void> {
    const key = `${parent}\u0000${child}`;
    const known = this.#staticTransforms.get(key);
    if (known && samePose(known, pose)) return;
    this.#staticTransforms.set(key, pose);
    await this.out.writeFoxglove(topics.staticTransforms, 'foxglove.FrameTransform', timeNs, transformToFoxglove(timeNs, parent, child, pose));
  }

  /** A point cloud of float32 (x, y, z, intensity) points in `frameId` on /lidar/points. */
  async writeLidar(timeNs: bigint, xyzi: Float32Array, frameId: string = frameIds.lidar, sequence?: number): Promise<void> {
    await this.out.writeFoxglove(topics.lidar, 'foxglove.PointCloud', timeNs, pointCloudToFoxglove(timeNs, frameId, xyzi), sequence);
  }

  /** Any Foxglove message (snake_case fields, Timestamp fields as bigint ns). */
  async writeFoxglove(topic: string, schemaName: string, timeNs: bigint, message: Record<string, unknown>): Promise<void> {
    await this.out.writeFoxglove(topic, schemaName, timeNs, message);
  }

  /** An engine-specific message as JSON (bigints become decimal strings). */
  async writeJson(topic: string, timeNs: bigint, value: unknown): Promise<void> {
    await this.out.writeJson(topic, timeNs, value);
  }

  async close(): Promise<void> {
    await this.out.close();
  }
}
