/**
 * Stage 3: class map -> this frame's free-space evidence in the vehicle frame (the column
 * walk through the ground tables). Needs no ego pose and no grid, so frames may arrive in any
 * order here.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { OccupancyMapper } from '../occupancy/occupancy-mapper.js';
import { runStepSync, type FrameWork } from '../work.js';
import { eulerFromQuat } from '../../sensors/pose.js';

export function projectStage(mapper: OccupancyMapper): OperatorFunction<FrameWork, FrameWork> {
  return map((work) =>
    runStepSync(work, 'project', (w) => {
      const q = w.frame.egoPose?.orientation;
      const attitude = q ? eulerFromQuat(q) : undefined;
      w.evidence = mapper.walk(w.segmentation!, w.frame.calibration, w.frame.groundZ ?? mapper.options.groundZ, attitude);
    }),
  );
}
