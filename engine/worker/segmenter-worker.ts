/**
 * Worker thread side of WorkerSegmenter: one OnnxSegmenter, requests in, class maps out.
 * onnxruntime-node runs inference synchronously on the calling thread; here that thread is
 * this worker, so the engine's main thread keeps decoding, fusing, planning and writing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OnnxSegmenter } from '../perception/segmenter.js';

interface Request {
  id: number;
  rgb: Uint8Array;
  width: number;
  height: number;
  timeNs: string;
  opts?: { outWidth?: number; outHeight?: number };
}

const port = parentPort;
if (!port) throw new Error('segmenter-worker.js runs as a worker thread (see WorkerSegmenter)');
const { manifestPath, threads } = workerData as { manifestPath?: string; threads?: number };

try {
  const seg = await OnnxSegmenter.load(manifestPath, { threads });
  port.on('message', (msg: Request | { dispose: true } | { id: number; prepare: { width: number; height: number } }) => {
    if ('dispose' in msg) {
      void seg.dispose().then(() => port.close());
      return;
    }
    if ('prepare' in msg) {
      seg.prepare(msg.prepare.width, msg.prepare.height).then(
        () => port.postMessage({ id: msg.id, prepared: true }),
        (err: unknown) => port.postMessage({ id: msg.id, error: String((err as Error)?.message ?? err) }),
      );
      return;
    }
    seg.segmentRgb(msg.rgb, msg.width, msg.height, BigInt(msg.timeNs), msg.opts).then(
      (s) => port.postMessage({ id: msg.id, classes: s.classes, width: s.width, height: s.height, timings: { ...seg.lastTimings } }, [s.classes.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: msg.id, error: String((err as Error)?.message ?? err) }),
    );
  });
  port.postMessage({ ready: true, classTable: seg.classTable, manifest: seg.manifest });
} catch (err) {
  port.postMessage({ ready: false, error: String((err as Error)?.message ?? err) });
}
