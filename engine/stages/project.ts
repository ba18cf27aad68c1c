/**
 * Stage 3: class map -> this frame's free-space evidence in the vehicle frame (the column
 * walk through the ground tables). Needs no ego pose and no grid, so frames may arrive in any
 * order here.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { OccupancyMapper } from '../occupancy/occupancy-mapper.js';
import { runStepSync, type FrameWork } from '../work.js';
import { eulerFromQuat } from '../../sensors/pose.js';
import { resizeNearest } from '../perception/postprocess.js';

export function projectStage(mapper: OccupancyMapper): OperatorFunction<FrameWork, FrameWork> {
  return map((work) => {
    // The road stereo sees (timed apart: it is the stereo check's cost, not the walk's).
    if (work.stereo) {
      runStepSync(work, 'stereo.road', (w) => {
        w.stereoRoad = mapper.stereoRoad(w.stereo!, w.segmentation!, w.frame.calibration);
        w.walkable = mapper.walkableMask(w.stereo!, w.stereoRoad);
      });
    }
    return runStepSync(work, 'project', (w) => {
      const q = w.frame.egoPose?.orientation;
      const seg = w.segmentation!;
      const g = w.stereo;
      // Else the ego pose's attitude (against gravity: the road taken as level).
      const attitude = w.stereoRoad ?? (q ? eulerFromQuat(q) : undefined);
      // The stereo mask is at the image's size; the class map may be at the model's.
      const m = w.walkable ?? g?.mask;
      const groundLike = g && m && (g.width === seg.width && g.height === seg.height ? m : resizeNearest(m, g.width, g.height, seg.width, seg.height));
      w.evidence = mapper.walk(seg, w.frame.calibration, w.frame.groundZ ?? mapper.options.groundZ, attitude, groundLike);
    });
  });
}
