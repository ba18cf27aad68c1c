/**
 * Admission of frames into the pipeline: how many frames may be in flight, and what happens
 * to frames that arrive while it is full.
 *
 * - pullGate (replay, lossless): pulls the next frame from an async iterable only when a slot
 *   is free, so a long drive never piles up in memory.
 * - queueGate (replay from a push Observable): keeps arrivals in a bounded FIFO; a frame that
 *   finds the FIFO full is dropped and reported (a push source cannot be slowed down).
 * - latestGate (realtime): keeps only the newest waiting frame; each older one it replaces is
 *   dropped and reported, so the engine always works on the freshest frame.
 *
 * A gate emits every frame exactly once, as admitted or dropped; `release()` frees the slot of
 * an admitted frame once its result has left the engine.
 */
import { Observable } from 'rxjs';
import type { SensorFrame } from '../types/index.js';

export type GateEvent =
  | { kind: 'admit'; seq: number; admitted: number; frame: SensorFrame }
  | { kind: 'drop'; seq: number; frame: SensorFrame; reason: string };

export interface Gate {
  events$: Observable<GateEvent>;
  release(): void;
  /** Frames waiting for a slot (for tests and progress). */
  readonly waiting: number;
  readonly inFlight: number;
}

function checkWindow(window: number): void {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`engine: concurrency must be a whole number >= 1, got ${window}`);
}

export function pullGate(source: AsyncIterable<SensorFrame>, window: number): Gate {
  checkWindow(window);
  let inFlight = 0;
  let kick: () => void = () => undefined;
  const events$ = new Observable<GateEvent>((sub) => {
    const it = source[Symbol.asyncIterator]();
    let seq = 0;
    let pulling = false;
    let stopped = false;
    const pump = async (): Promise<void> => {
      if (pulling || stopped) return;
      pulling = true;
      try {
        while (!stopped && inFlight < window) {
          const r = await it.next();
          if (stopped) return;
          if (r.done) {
            stopped = true;
            sub.complete();
            return;
          }
          inFlight++;
          const n = seq++;
          sub.next({ kind: 'admit', seq: n, admitted: n, frame: r.value });
        }
      } catch (err) {
        stopped = true;
        sub.error(err);
      } finally {
        pulling = false;
      }
    };
    kick = () => void pump();
    void pump();
    return () => {
      if (!stopped) {
        stopped = true;
        void Promise.resolve(it.return?.()).catch(() => undefined);
      }
    };
  });
  return {
    events$,
    release() {
      inFlight--;
      kick();
    },
    get waiting() {
      return 0;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

function pushGate(source: Observable<SensorFrame>, window: number, queueLimit: number, latestOnly: boolean): Gate {
  checkWindow(window);
  if (!Number.isInteger(queueLimit) || queueLimit < 1) throw new RangeError(`engine: queue limit must be a whole number >= 1, got ${queueLimit}`);
  let inFlight = 0;
  const queue: { seq: number; frame: SensorFrame }[] = [];
  let flush: () => void = () => undefined;
  const events$ = new Observable<GateEvent>((sub) => {
    let seq = 0;
    let admitted = 0;
    let sourceDone = false;
    const admitWaiting = (): void => {
      while (inFlight < window && queue.length > 0) {
        const q = queue.shift()!;
        inFlight++;
        sub.next({ kind: 'admit', seq: q.seq, admitted: admitted++, frame: q.frame });
      }
      if (sourceDone && queue.length === 0) sub.complete();
    };
    flush = admitWaiting;
    const subscription = source.subscribe({
      next(frame) {
        const n = seq++;
        if (inFlight < window && queue.length === 0) {
          inFlight++;
          sub.next({ kind: 'admit', seq: n, admitted: admitted++, frame });
          return;
        }
        if (latestOnly) {
          // Everything still waiting is older than this frame: drop it.
          while (queue.length > 0) {
            const old = queue.shift()!;
            sub.next({ kind: 'drop', seq: old.seq, frame: old.frame, reason: `dropped: frame ${frame.index} arrived while frame ${old.frame.index} was still waiting (engine busy)` });
          }
        } else if (queue.length >= queueLimit) {
          sub.next({ kind: 'drop', seq: n, frame, reason: `dropped: input queue full (${queueLimit} frames waiting; the source outpaces the engine)` });
          return;
        }
        queue.push({ seq: n, frame });
      },
      error(err) {
        sub.error(err);
      },
      complete() {
        sourceDone = true;
        admitWaiting();
      },
    });
    return () => subscription.unsubscribe();
  });
  return {
    events$,
    release() {
      inFlight--;
      flush();
    },
    get waiting() {
      return queue.length;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

export function queueGate(source: Observable<SensorFrame>, window: number, queueLimit: number): Gate {
  return pushGate(source, window, queueLimit, false);
}

export function latestGate(source: Observable<SensorFrame>, window: number): Gate {
  return pushGate(source, window, 1, true);
}
