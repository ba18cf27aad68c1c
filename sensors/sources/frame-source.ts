/**
 * Frame sources: where camera frames come from (a KITTI folder, an image folder, a video, a
 * recorded drive). A source yields items in time order: camera frames, lidar scans, and frames
 * it had to skip (corrupt file ...) with the reason, so nothing disappears silently.
 */
import { Observable, filter, from, map } from 'rxjs';
import type { Pose3, SensorFrame, TimeNs } from '../../types/index.js';

export interface LidarScan {
  timeNs: TimeNs;
  /** Frame index the scan belongs to. */
  index: number;
  frameId: string;
  /** float32 x, y, z, intensity per point, in `frameId`. */
  xyzi: Float32Array;
  file?: string;
}

export interface SkippedFrame {
  index: number;
  cameraId: string;
  /** File (or file@frame) the frame came from. */
  file: string;
  reason: string;
}

export type SourceItem =
  | { kind: 'frame'; frame: SensorFrame }
  | { kind: 'lidar'; scan: LidarScan }
  | { kind: 'skipped'; skipped: SkippedFrame };

/** A fixed sensor mount in the vehicle frame (camera mounts travel with each frame's calibration). */
export interface SensorMount {
  parent: string;
  child: string;
  pose: Pose3;
}

export interface FrameSource {
  /** What the source reads, for messages: a folder or file path. */
  readonly description: string;
  /** Camera frames the source will try to produce (for progress), if known in advance. */
  readonly expectedFrames?: number;
  readonly cameraIds: readonly string[];
  /** Mounts of non-camera sensors (lidar). */
  readonly mounts: readonly SensorMount[];
  /** Problems found while opening that did not stop it (e.g. frames dropped for a stream mismatch). */
  readonly warnings: readonly string[];
  items(): AsyncIterable<SourceItem>;
}

/** Only the camera frames of a source. */
export async function* sourceFrames(source: FrameSource): AsyncGenerator<SensorFrame> {
  for await (const item of source.items()) if (item.kind === 'frame') yield item.frame;
}

/** The camera frames of a source as an rxjs Observable (unsubscribing stops reading). */
export function sourceFrames$(source: FrameSource): Observable<SensorFrame> {
  return from(source.items()).pipe(
    filter((i): i is Extract<SourceItem, { kind: 'frame' }> => i.kind === 'frame'),
    map((i) => i.frame),
  );
}
