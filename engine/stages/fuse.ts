/**
 * Stage 4: place each frame's evidence in the world-frame log-odds grid, in frame order (the
 * Bayes filter is sequential), and snapshot the grid for the frame's result.
 */
import { map, type OperatorFunction } from 'rxjs';
import { pose2FromPose3 } from '../../sensors/pose.js';
import type { OccupancyMapper } from '../occupancy/occupancy-mapper.js';
import { runStepSync, type FrameWork } from '../work.js';

export function fuseStage(mapper: OccupancyMapper): OperatorFunction<FrameWork, FrameWork> {
  let lastTime: bigint | undefined;
  return map((work) =>
    runStepSync(work, 'fuse', (w) => {
      const t = w.frame.timeNs;
      if (lastTime !== undefined && t <= lastTime) {
        throw new Error(`frame ${w.frame.index} at ${t} ns is not after the previous frame (${lastTime} ns); frames must come in time order`);
      }
      lastTime = t;
      let ego = w.frame.egoPose ? pose2FromPose3(w.frame.egoPose) : undefined;
      if (!ego) {
        // Without odometry nothing can be carried over between frames: this frame's evidence
        // alone, in its own vehicle frame.
        mapper.reset();
        ego = { x: 0, y: 0, yaw: 0 };
        w.diagnostics.push({ level: 'warn', stage: 'fuse', message: 'frame has no ego pose: grid holds this frame alone, in its vehicle frame' });
      }
      if (!Number.isFinite(ego.x) || !Number.isFinite(ego.y) || !Number.isFinite(ego.yaw)) {
        throw new Error(`frame ${w.frame.index}: ego pose is not finite (${ego.x}, ${ego.y}, ${ego.yaw})`);
      }
      w.ego = ego;
      const r = mapper.fuse(w.evidence!, ego, t, { snapshot: true });
      w.timings['fuse.place'] = r.placeMs;
      w.timings['fuse.integrate'] = r.integrateMs;
      w.grid = r.grid;
      w.evidence = undefined;
    }),
  );
}
