/**
 * The engine as a closed-loop driver: frames are pushed one at a time into a running engine
 * (its occupancy grid persists across the scenario), the goal rides along as the latest user
 * goal, and the driver resolves with the frame's FrameResult.
 */
import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { FrameResult, Pose2, SensorFrame } from '../../types/index.js';
import type { Engine } from '../create-engine.js';

export interface EngineDriver {
  drive(frame: SensorFrame, goal: Pose2): Promise<FrameResult>;
  close(): void;
}

/** `makeEngine` gets the goal stream to pass as planning.goals$. */
export async function engineDriver(makeEngine: (goals$: BehaviorSubject<Pose2>) => Promise<Engine>): Promise<EngineDriver & { engine: Engine }> {
  const goals$ = new BehaviorSubject<Pose2>({ x: 0, y: 0, yaw: 0 });
  const engine = await makeEngine(goals$);
  const frames$ = new Subject<SensorFrame>();
  const waiting: { resolve: (r: FrameResult) => void; reject: (e: unknown) => void }[] = [];
  let failed: unknown;
  const sub: Subscription = engine.run(frames$).subscribe({
    next: (r) => waiting.shift()?.resolve(r),
    error: (e) => {
      failed = e;
      for (const w of waiting.splice(0)) w.reject(e);
    },
  });
  return {
    engine,
    drive(frame, goal) {
      if (failed) return Promise.reject(failed);
      goals$.next(goal);
      const p = new Promise<FrameResult>((resolve, reject) => waiting.push({ resolve, reject }));
      frames$.next(frame);
      return p;
    },
    close() {
      frames$.complete();
      sub.unsubscribe();
    },
  };
}
