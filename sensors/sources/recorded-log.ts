/**
 * A recorded drive (MCAP written by DriveWriter or an importer) as a frame source: camera
 * frames with calibration and ego pose, and lidar scans, in time order.
 */
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { pointCloudFromFoxglove } from '../../datasets/drive-log/foxglove-convert.js';
import { topics } from '../../types/topics.js';
import type { FrameSource, SensorMount, SourceItem } from './frame-source.js';

export interface RecordedLogOptions {
  cameraIds?: readonly string[];
  startNs?: bigint;
  endNs?: bigint;
  /** Also yield lidar scans (default false: frames only). */
  lidar?: boolean;
}

export async function openRecordedLog(path: string, opts: RecordedLogOptions = {}): Promise<FrameSource & { close(): Promise<void> }> {
  const reader = await DriveReader.open(path);
  const cameraIds = opts.cameraIds ?? reader.cameraIds();
  const summary = reader.summary();
  const expectedFrames =
    opts.startNs === undefined && opts.endNs === undefined
      ? summary.topics.filter((t) => cameraIds.some((c) => t.topic === topics.cameraImage(c))).reduce((a, t) => a + t.messageCount, 0)
      : undefined;
  const cameraSet = new Set(cameraIds);
  const mounts: SensorMount[] = reader
    .staticTransforms()
    .filter((t) => !cameraSet.has(t.child))
    .map((t) => ({ parent: t.parent, child: t.child, pose: t.pose }));
  const warnings = summary.complete ? [] : [`${path}: incomplete log (${summary.incompleteBecause}); reading the complete part`];

  async function* items(): AsyncGenerator<SourceItem> {
    if (!opts.lidar) {
      for await (const frame of reader.frames({ cameraIds, startNs: opts.startNs, endNs: opts.endNs })) yield { kind: 'frame', frame };
      return;
    }
    // Merge lidar into the frame stream by time.
    const scans = reader.messages({ topics: [topics.lidar], startNs: opts.startNs, endNs: opts.endNs });
    let next = await scans.next();
    for await (const frame of reader.frames({ cameraIds, startNs: opts.startNs, endNs: opts.endNs })) {
      while (!next.done && next.value.logTimeNs <= frame.timeNs) {
        const { frameId, xyzi } = pointCloudFromFoxglove(next.value.message as Record<string, unknown>, `${path} ${topics.lidar}@${next.value.logTimeNs}`);
        yield { kind: 'lidar', scan: { timeNs: next.value.logTimeNs, index: next.value.sequence, frameId, xyzi } };
        next = await scans.next();
      }
      yield { kind: 'frame', frame };
    }
    while (!next.done) {
      const { frameId, xyzi } = pointCloudFromFoxglove(next.value.message as Record<string, unknown>, `${path} ${topics.lidar}@${next.value.logTimeNs}`);
      yield { kind: 'lidar', scan: { timeNs: next.value.logTimeNs, index: next.value.sequence, frameId, xyzi } };
      next = await scans.next();
    }
  }

  return { description: `recorded drive ${path}`, expectedFrames, cameraIds, mounts, warnings, items, close: () => reader.close() };
}
