/**
 * Worker thread side of ResultLogWriter: owns the DriveWriter, so protobuf encoding, zstd
 * compression and checksums of the result log run beside the engine, not in its thread. For
 * the same reason it copies the input's lidar scans and checks plans against them (LidarCopy).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DriveWriter } from '../../datasets/drive-log/writer.js';
import { RESULT_LOG_ZSTD_LEVEL } from '../../datasets/mcap/zstd.js';
import { writeClassTable, writeFrameResult } from './result-writer.js';
import type { LidarPlanCheck } from './open-loop.js';
import { LidarCopy } from './lidar-copy.js';

export type WriterRequest =
  | { id: number; kind: 'result'; result: Parameters<typeof writeFrameResult>[1] }
  | { id: number; kind: 'lidar'; timeNs: bigint; check?: LidarPlanCheck }
  | { id: number; kind: 'lidar-checks' }
  | { id: number; kind: 'classes'; timeNs: bigint; classTable: Parameters<typeof writeClassTable>[2] }
  | { id: number; kind: 'static'; timeNs: bigint; parent: string; child: string; pose: Parameters<DriveWriter['writeStaticTransform']>[3] }
  | { id: number; kind: 'close' };

const port = parentPort;
if (!port) throw new Error('writer-worker.js runs as a worker thread (see ResultLogWriter)');
const { path, lidarFrom } = workerData as { path: string; lidarFrom?: string };

try {
  const out = await DriveWriter.create(path, { compressionLevel: RESULT_LOG_ZSTD_LEVEL });
  const lidar = lidarFrom ? await LidarCopy.open(lidarFrom, out) : undefined;
  // Requests are handled strictly one after another: the log is written in arrival order, and
  // 'lidar-checks' counts every check sent before it.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (req: WriterRequest) => {
    chain = chain.then(async () => {
      try {
        let value: unknown;
        if (req.kind === 'result') await writeFrameResult(out, req.result);
        else if (req.kind === 'lidar') await lidar?.upTo(req.timeNs, req.check);
        else if (req.kind === 'lidar-checks') value = { ...(lidar?.counts ?? { checked: 0, crossing: 0 }) };
        else if (req.kind === 'classes') await writeClassTable(out, req.timeNs, req.classTable);
        else if (req.kind === 'static') await out.writeStaticTransform(req.timeNs, req.parent, req.child, req.pose);
        else {
          try {
            await lidar?.finish();
          } finally {
            await out.close();
          }
        }
        port.postMessage({ id: req.id, value });
      } catch (err) {
        port.postMessage({ id: req.id, error: String((err as Error)?.message ?? err) });
      }
    });
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: String((err as Error)?.message ?? err) });
}
