/**
 * Stage 3: class map -> this frame's free-space evidence in the vehicle frame (the column
 * walk through the ground tables). Needs no ego pose and no grid, so frames may arrive in any
 * order here.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { OccupancyMapper } from '../occupancy/occupancy-mapper.js';
import { runStepSync, type FrameWork } from '../work.js';

export function projectStage(mapper: OccupancyMapper): OperatorFunction<FrameWork, FrameWork> {
  return map((work) =>
    runStepSync(work, 'project', (w) => {
      w.evidence = mapper.walk(w.segmentation!, w.frame.calibration, w.frame.groundZ ?? mapper.options.groundZ);
    }),
  );
}
