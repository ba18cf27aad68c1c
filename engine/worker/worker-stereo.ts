/**
 * The stereo ground check in a worker thread: about 8 ms a pair at 397x120, which on the
 * main thread would hold up decoding, fusion, planning and writing. Pairs of different frames
 * overlap with the model (in its own worker) and with the main thread's stages.
 */
import type { Worker } from 'node:worker_threads';
import type { CameraCalibration } from '../../types/index.js';
import type { RgbImage } from '../perception/decode.js';
import type { StereoCheck, StereoGroundOptions } from '../occupancy/stereo-ground.js';
import { startWorker, stopWorker, workerScript } from './worker-thread.js';

type Reply = { id: number; check: StereoCheck } | { id: number; error: string };

export class WorkerStereoGround {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (c: StereoCheck) => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(new Error(reply.error));
      else p.resolve(reply.check);
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new Error(`stereo worker exited (code ${code})`)));
  }

  /** `options`: complete options (StereoGround validated them). */
  static async start(options: StereoGroundOptions): Promise<WorkerStereoGround> {
    const { worker } = await startWorker(workerScript(import.meta.url, 'stereo-worker.js'), { options }, (error) => error ?? 'stereo worker failed to start');
    return new WorkerStereoGround(worker);
  }

  /**
   * As StereoGround.check. The left image is copied to the worker (the model needs it too);
   * the right one is handed over when it has a buffer of its own (unusable here afterwards).
   */
  check(left: RgbImage, right: RgbImage, leftCalib: CameraCalibration, rightCalib: CameraCalibration, groundZ: number): Promise<StereoCheck> {
    const id = this.nextId++;
    const l = { ...left, rgb: left.rgb.slice() };
    const own = right.rgb.byteOffset === 0 && right.rgb.byteLength === right.rgb.buffer.byteLength && right.rgb.buffer instanceof ArrayBuffer;
    const r = own ? right : { ...right, rgb: right.rgb.slice() };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, left: l, right: r, leftCalib, rightCalib, groundZ }, [l.rgb.buffer as ArrayBuffer, r.rgb.buffer as ArrayBuffer]);
    });
  }

  dispose(): Promise<void> {
    return stopWorker(this.worker);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
