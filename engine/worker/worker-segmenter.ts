/**
 * A Segmenter whose ONNX model runs in a worker thread. onnxruntime-node's session.run blocks
 * the thread that calls it for the whole inference; in a worker, the main thread goes on with
 * decoding the next frames, fusing, planning and writing while the model works.
 *
 * The worker script is the compiled engine/worker/segmenter-worker.js (run `npm run build`
 * first when using grokdrive from its TypeScript sources).
 */
import type { Worker } from 'node:worker_threads';
import type { ClassInfo, Segmentation, TimeNs } from '../../types/index.js';
import { startWorker, stopWorker, workerScript } from './worker-thread.js';
import type { SegModelManifest } from '../perception/manifest.js';
import type { Segmenter } from '../segmenter.js';

type Reply =
  | { id: number; classes: Uint8Array; width: number; height: number; timings: Record<string, number> }
  | { id: number; prepared: true }
  | { id: number; error: string };

export class WorkerSegmenter implements Segmenter {
  readonly classTable: ClassInfo[];
  readonly manifest: SegModelManifest;
  readonly lastTimings: { preprocess?: number; model?: number; postprocess?: number } = {};
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (s: Segmentation) => void; reject: (e: Error) => void; timeNs: TimeNs }>();
  private readonly preparing = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: Worker, classTable: ClassInfo[], manifest: SegModelManifest) {
    this.classTable = classTable;
    this.manifest = manifest;
    worker.on('message', (reply: Reply) => {
      const prep = this.preparing.get(reply.id);
      if (prep) {
        this.preparing.delete(reply.id);
        if ('error' in reply) prep.reject(new Error(reply.error));
        else prep.resolve();
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) {
        p.reject(new Error(reply.error));
        return;
      }
      if (!('classes' in reply)) return;
      Object.assign(this.lastTimings, reply.timings);
      p.resolve({ timeNs: p.timeNs, width: reply.width, height: reply.height, classes: reply.classes, classTable: this.classTable });
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new Error(`segmenter worker exited (code ${code})`)));
  }

  static async load(manifestPath?: string, opts: { threads?: number } = {}): Promise<WorkerSegmenter> {
    const { worker, first } = await startWorker<{ ready: boolean; error?: string; classTable?: ClassInfo[]; manifest?: SegModelManifest }>(
      workerScript(import.meta.url, 'segmenter-worker.js'),
      { manifestPath, threads: opts.threads },
      (error) => error ?? 'segmenter worker failed to start',
    );
    return new WorkerSegmenter(worker, first.classTable!, first.manifest!);
  }

  segmentRgb(rgb: Uint8Array, width: number, height: number, timeNs: TimeNs, opts?: { outWidth?: number; outHeight?: number }): Promise<Segmentation> {
    const id = this.nextId++;
    // A private copy to hand over (the caller's buffer may be a view into a shared pool).
    const copy = rgb.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, timeNs });
      this.worker.postMessage({ id, rgb: copy, width, height, timeNs: timeNs.toString(), opts }, [copy.buffer]);
    });
  }

  /** Has the worker create and warm up the model's session for frames of this size. */
  prepare(width: number, height: number): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.preparing.set(id, { resolve, reject });
      this.worker.postMessage({ id, prepare: { width, height } });
    });
  }

  dispose(): Promise<void> {
    return stopWorker(this.worker);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const p of this.preparing.values()) p.reject(err);
    this.preparing.clear();
  }
}
