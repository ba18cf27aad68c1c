/**
 * Writes the replay's result log from a worker thread (writer-worker.ts), so encoding and
 * compression do not take turns with the engine on the main thread. At most `window` requests
 * are outstanding; a write waits for room, so memory stays bounded when the disk is slow.
 */
import type { Worker } from 'node:worker_threads';
import type { ClassInfo, FrameResult, Pose3 } from '../../types/index.js';
import { startWorker, workerScript } from '../worker/worker-thread.js';
import { DriveWriter } from '../../datasets/drive-log/writer.js';
import { RESULT_LOG_ZSTD_LEVEL } from '../../datasets/mcap/zstd.js';
import { writeClassTable, writeFrameResult } from './result-writer.js';
import { LidarChecks, type LidarCheckCounts, type LidarPlanCheck } from './open-loop.js';

type Reply = { id: number; error?: string; value?: unknown };

/** The buffer behind a typed array that spans all of it (one that may be handed over), or none. */
function whole(a: ArrayBufferView | undefined): ArrayBuffer[] {
  return a && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer ? [a.buffer] : [];
}

/** What the replay writes; ResultLogWriter (worker thread) and InThreadResultWriter fit it. */
export interface ResultSink {
  writeResult(result: FrameResult): Promise<void>;
  /** A scan; with `check`, a plan is also checked against it (counted by lidarChecks). */
  writeLidar(timeNs: bigint, xyzi: Float32Array, frameId: string, check?: LidarPlanCheck): Promise<void>;
  /** Counts of the plan checks of every scan written so far. */
  lidarChecks(): Promise<LidarCheckCounts>;
  writeClassTable(timeNs: bigint, classTable: ClassInfo[]): Promise<void>;
  writeStaticTransform(timeNs: bigint, parent: string, child: string, pose: Pose3): Promise<void>;
  /** Finishes the log (summary, footer). */
  close(): Promise<void>;
}

/** The same, written in this thread. */
export class InThreadResultWriter implements ResultSink {
  private readonly checks = new LidarChecks();
  private constructor(private readonly out: DriveWriter) {}
  static async create(path: string): Promise<InThreadResultWriter> {
    return new InThreadResultWriter(await DriveWriter.create(path, { compressionLevel: RESULT_LOG_ZSTD_LEVEL }));
  }
  writeResult(result: FrameResult): Promise<void> {
    return writeFrameResult(this.out, result);
  }
  writeLidar(timeNs: bigint, xyzi: Float32Array, frameId: string, check?: LidarPlanCheck): Promise<void> {
    this.checks.add(xyzi, check, `lidar scan at ${timeNs} ns`);
    return this.out.writeLidar(timeNs, xyzi, frameId);
  }
  async lidarChecks(): Promise<LidarCheckCounts> {
    return structuredClone(this.checks.counts);
  }
  writeClassTable(timeNs: bigint, classTable: ClassInfo[]): Promise<void> {
    return writeClassTable(this.out, timeNs, classTable);
  }
  writeStaticTransform(timeNs: bigint, parent: string, child: string, pose: Pose3): Promise<void> {
    return this.out.writeStaticTransform(timeNs, parent, child, pose);
  }
  close(): Promise<void> {
    return this.out.close();
  }
}

export class ResultLogWriter implements ResultSink {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  private failed: Error | undefined;
  private room: (() => void) | undefined;
  private closing = false;

  private constructor(private readonly worker: Worker, private readonly window: number) {
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.error) {
        this.failed ??= new Error(reply.error);
        p.reject(this.failed);
      } else p.resolve(reply.value);
      this.room?.();
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`result log writer exited (code ${code})`));
    });
  }

  static async create(path: string, window = 8): Promise<ResultLogWriter> {
    const { worker } = await startWorker(workerScript(import.meta.url, 'writer-worker.js'), { path }, (error) => `${path}: ${error ?? 'cannot open the result log'}`);
    return new ResultLogWriter(worker, window);
  }

  /** Queues a request; resolves once there is room for the next one (not when it is written). */
  private async send(req: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<void> {
    const { reply } = await this.queue(req, transfer);
    reply.catch(() => undefined); // reported through `failed` on the next call
  }

  /** Queues a request once there is room; `reply` settles with the worker's answer. */
  private async queue(req: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<{ reply: Promise<unknown> }> {
    if (this.failed) throw this.failed;
    while (this.pending.size >= this.window) {
      await new Promise<void>((r) => (this.room = r));
      if (this.failed) throw this.failed;
    }
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ id, ...req }, transfer);
    return { reply };
  }

  /**
   * The result's grid, class map and input image are handed over to the writer, not copied
   * (unusable here afterwards).
   */
  writeResult(result: FrameResult): Promise<void> {
    return this.send({ kind: 'result', result }, [...whole(result.grid?.logOdds), ...whole(result.segmentation?.classes), ...whole(result.stereoGround?.mask), ...whole(result.frame?.image.data), ...whole(result.frame?.stereo?.image.data)]);
  }

  /**
   * The points are handed over to the writer, not copied (unusable here afterwards); the check
   * runs in the writer's thread.
   */
  writeLidar(timeNs: bigint, xyzi: Float32Array, frameId: string, check?: LidarPlanCheck): Promise<void> {
    return this.send({ kind: 'lidar', timeNs, xyzi, frameId, check }, whole(xyzi));
  }

  async lidarChecks(): Promise<LidarCheckCounts> {
    const { reply } = await this.queue({ kind: 'lidar-checks' });
    return (await reply) as LidarCheckCounts;
  }

  writeClassTable(timeNs: bigint, classTable: ClassInfo[]): Promise<void> {
    return this.send({ kind: 'classes', timeNs, classTable });
  }

  writeStaticTransform(timeNs: bigint, parent: string, child: string, pose: Pose3): Promise<void> {
    return this.send({ kind: 'static', timeNs, parent, child, pose });
  }

  /** Writes what is queued, finishes the log (summary, footer) and stops the worker. */
  async close(): Promise<void> {
    if (this.failed) {
      this.closing = true;
      await this.worker.terminate();
      throw this.failed;
    }
    const id = this.nextId++;
    const closed = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ id, kind: 'close' });
    try {
      await closed;
    } finally {
      this.closing = true;
      await this.worker.terminate();
    }
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
    this.room?.();
  }
}
