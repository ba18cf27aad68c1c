/**
 * Synthetic drives: render a seeded scenario frame by frame and record it in the project's drive
 * log format (camera JPEGs, calibration, ego poses) with ground truth (per-pixel CamVid labels,
 * occupancy). The same options give a byte-identical file.
 */
import sharp from 'sharp';
import type { CameraCalibration, OccupancyGrid, SensorFrame, TimeNs } from '../../types/index.js';
import { topics } from '../../types/topics.js';
import { pose3FromPose2 } from '../../sensors/pose.js';
import { DriveWriter } from '../drive-log/writer.js';
import { gridToFoxglove } from '../drive-log/grid-message.js';
import { syntheticCalibration } from './camera-rig.js';
import { groundTruthOccupancy, type GroundTruthGridOptions } from './ground-truth.js';
import { SceneRenderer, type RenderedFrame } from './renderer.js';
import { SyntheticWorld, type WorldOptions } from './world.js';

/** Synthetic drives start at 2024-01-01T00:00:00Z, so timestamps never depend on the clock. */
export const SYNTHETIC_EPOCH_NS: TimeNs = 1_704_067_200n * 1_000_000_000n;

export interface SyntheticDriveOptions extends Omit<WorldOptions, 'seconds'> {
  seconds: number;
  fps?: number;
  width?: number;
  height?: number;
  jpegQuality?: number;
  groundTruthGrid?: GroundTruthGridOptions;
}

export interface SyntheticFrame {
  index: number;
  /** Seconds since the start of the drive. */
  t: number;
  timeNs: TimeNs;
  calibration: CameraCalibration;
  rendered: RenderedFrame;
  grid: OccupancyGrid;
  frame: SensorFrame;
}

export interface SyntheticDriveSummary {
  path: string;
  frames: number;
  seconds: number;
  width: number;
  height: number;
  routeLength: number;
  /** Mean milliseconds to render one frame (scene only, no encoding). */
  renderMsPerFrame: number;
}

export function frameCount(seconds: number, fps: number): number {
  if (!(fps > 0 && fps <= 100)) throw new RangeError(`fps must be in (0, 100] (got ${fps})`);
  return Math.max(1, Math.floor(seconds * fps + 1e-9));
}

export function frameTimeNs(index: number, fps: number): TimeNs {
  return SYNTHETIC_EPOCH_NS + BigInt(Math.round((index * 1e9) / fps));
}

/**
 * A synthetic scenario with its camera, yielding one frame at a time (the camera image is
 * JPEG-encoded, as a real dashcam would deliver it).
 */
export class SyntheticDrive {
  readonly world: SyntheticWorld;
  readonly calibration: CameraCalibration;
  readonly renderer: SceneRenderer;
  readonly fps: number;
  readonly frames: number;
  private readonly options: SyntheticDriveOptions;
  renderMs = 0;

  constructor(options: SyntheticDriveOptions) {
    this.options = options;
    this.fps = options.fps ?? 10;
    this.frames = frameCount(options.seconds, this.fps);
    this.world = new SyntheticWorld({ ...options, seconds: options.seconds });
    this.calibration = syntheticCalibration(options.width ?? 480, options.height ?? 360);
    this.renderer = new SceneRenderer(this.calibration);
  }

  /** Render frame `index` of the scripted drive (camera image JPEG-encoded). */
  async frame(index: number): Promise<SyntheticFrame> {
    const raw = this.render(index);
    return this.complete(raw, await encodeJpeg(raw.rendered, this.options.jpegQuality ?? 90));
  }

  /** The synchronous part of a frame: scene, labels, ground-truth grid. */
  render(index: number): Omit<SyntheticFrame, 'frame'> {
    if (!Number.isInteger(index) || index < 0 || index >= this.frames) throw new RangeError(`frame ${index} is outside 0..${this.frames - 1}`);
    const t = index / this.fps;
    const timeNs = frameTimeNs(index, this.fps);
    const world = this.world;
    world.setTime(t);
    const ego = world.egoPose(t);
    const start = performance.now();
    const rendered = this.renderer.render(world.town, world.actors.prisms, ego, index);
    this.renderMs += performance.now() - start;
    const grid = groundTruthOccupancy(world.town, world.actors.prisms, ego, timeNs, this.options.groundTruthGrid);
    return { index, t, timeNs, calibration: this.calibration, rendered, grid };
  }

  /** Wrap a rendered frame and its JPEG into the SensorFrame a camera would deliver. */
  complete(raw: Omit<SyntheticFrame, 'frame'>, jpeg: Uint8Array): SyntheticFrame {
    const ego = this.world.egoPose(raw.t);
    const frame: SensorFrame = {
      timeNs: raw.timeNs,
      index: raw.index,
      cameraId: this.calibration.cameraId,
      image: { format: 'jpeg', data: jpeg },
      calibration: this.calibration,
      egoPose: pose3FromPose2(ego),
      groundZ: 0,
      source: `synthetic seed ${this.world.seed} frame ${raw.index}`,
    };
    return { ...raw, frame };
  }
}

export async function encodeJpeg(frame: RenderedFrame, quality = 90): Promise<Uint8Array> {
  const buf = await sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Ground-truth labels as foxglove.RawImage mono8 (class ids). */
export function labelsToFoxglove(timeNs: TimeNs, cameraId: string, frame: RenderedFrame): Record<string, unknown> {
  return { timestamp: timeNs, frame_id: cameraId, width: frame.width, height: frame.height, encoding: 'mono8', step: frame.width, data: frame.labels };
}

/** Write a whole synthetic drive (images, calibration, poses, ground truth) to `path`. */
export async function writeSyntheticDrive(
  path: string,
  options: SyntheticDriveOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<SyntheticDriveSummary> {
  const drive = new SyntheticDrive(options);
  const writer = await DriveWriter.create(path);
  try {
    const cameraId = drive.calibration.cameraId;
    // Frame k's JPEG is encoded on libuv's thread pool while frame k+1 renders on this thread.
    let next = drive.render(0);
    for (let k = 0; k < drive.frames; k++) {
      const raw = next;
      const jpeg = encodeJpeg(raw.rendered, options.jpegQuality ?? 90);
      if (k + 1 < drive.frames) next = drive.render(k + 1);
      const f = drive.complete(raw, await jpeg);
      await writer.writeFrame(f.frame);
      await writer.writeFoxglove(topics.groundTruthSegmentation(cameraId), 'foxglove.RawImage', f.timeNs, labelsToFoxglove(f.timeNs, cameraId, f.rendered));
      await writer.writeFoxglove(topics.groundTruthOccupancy, 'foxglove.Grid', f.timeNs, gridToFoxglove(f.grid));
      onProgress?.(k + 1, drive.frames);
    }
  } finally {
    await writer.close();
  }
  return {
    path,
    frames: drive.frames,
    seconds: options.seconds,
    width: drive.calibration.width,
    height: drive.calibration.height,
    routeLength: drive.world.route.length,
    renderMsPerFrame: drive.renderMs / drive.frames,
  };
}
