/**
 * Worker thread side of ResultLogWriter: owns the DriveWriter, so protobuf encoding, zstd
 * compression and checksums of the result log run beside the engine, not in its thread. For
 * the same reason plans are checked against the lidar scans here, where the scans arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DriveWriter } from '../../datasets/drive-log/writer.js';
import { RESULT_LOG_ZSTD_LEVEL } from '../../datasets/mcap/zstd.js';
import { writeClassTable, writeFrameResult } from './result-writer.js';
import { LidarChecks, type LidarPlanCheck } from './open-loop.js';

export type WriterRequest =
  | { id: number; kind: 'result'; result: Parameters<typeof writeFrameResult>[1] }
  | { id: number; kind: 'lidar'; timeNs: bigint; xyzi: Float32Array; frameId: string; check?: LidarPlanCheck }
  | { id: number; kind: 'lidar-checks' }
  | { id: number; kind: 'classes'; timeNs: bigint; classTable: Parameters<typeof writeClassTable>[2] }
  | { id: number; kind: 'static'; timeNs: bigint; parent: string; child: string; pose: Parameters<DriveWriter['writeStaticTransform']>[3] }
  | { id: number; kind: 'close' };

const port = parentPort;
if (!port) throw new Error('writer-worker.js runs as a worker thread (see ResultLogWriter)');
const { path } = workerData as { path: string };

try {
  const out = await DriveWriter.create(path, { compressionLevel: RESULT_LOG_ZSTD_LEVEL });
  const checks = new LidarChecks();
  // Requests are handled strictly one after another: the log is written in arrival order, and
  // 'lidar-checks' counts every check sent before it.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (req: WriterRequest) => {
    chain = chain.then(async () => {
      try {
        let value: unknown;
        if (req.kind === 'result') await writeFrameResult(out, req.result);
        else if (req.kind === 'lidar') {
          checks.add(req.xyzi, req.check, `lidar scan at ${req.timeNs} ns`);
          await out.writeLidar(req.timeNs, req.xyzi, req.frameId);
        } else if (req.kind === 'lidar-checks') value = checks.counts;
        else if (req.kind === 'classes') await writeClassTable(out, req.timeNs, req.classTable);
        else if (req.kind === 'static') await out.writeStaticTransform(req.timeNs, req.parent, req.child, req.pose);
        else await out.close();
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
