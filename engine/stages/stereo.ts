/**
 * Stage 1b: the stereo ground check (occupancy/stereo-ground.ts) for frames that carry a
 * right image. Runs on the main thread while the model works on other frames in its worker.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { StereoGround } from '../occupancy/stereo-ground.js';
import { runStepSync, type FrameWork } from '../work.js';

export function stereoStage(stereo: StereoGround, defaultGroundZ: number): OperatorFunction<FrameWork, FrameWork> {
  return map((work) => {
    if (!work.rightRgb) return work;
    return runStepSync(work, 'stereo', (w) => {
      const right = w.rightRgb!;
      w.rightRgb = undefined;
      const { mask, road } = stereo.check(w.rgb!, right, w.frame.calibration, w.frame.stereo!.calibration, w.frame.groundZ ?? defaultGroundZ);
      w.groundLike = { mask, width: right.width, height: right.height, road };
    });
  });
}
