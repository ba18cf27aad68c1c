/**
 * Stage 1b: the stereo ground check (occupancy/stereo-ground.ts) for frames that carry a
 * right image. In a worker thread by default (WorkerStereoGround), while the model works on
 * other frames in its own.
 */
import { mergeMap, type OperatorFunction } from 'rxjs';
import type { CameraCalibration } from '../../types/index.js';
import type { RgbImage } from '../perception/decode.js';
import type { StereoCheck } from '../occupancy/stereo-ground.js';
import { runStep, type FrameWork } from '../work.js';

/** StereoGround (this thread) or WorkerStereoGround. */
export interface StereoChecker {
  check(left: RgbImage, right: RgbImage, leftCalib: CameraCalibration, rightCalib: CameraCalibration, groundZ: number): StereoCheck | Promise<StereoCheck>;
}

export function stereoStage(stereo: () => StereoChecker | Promise<StereoChecker>, defaultGroundZ: number, concurrency: number): OperatorFunction<FrameWork, FrameWork> {
  return mergeMap(async (work) => {
    if (!work.rightRgb) return work;
    return runStep(work, 'stereo', async (w) => {
      const right = w.rightRgb!;
      w.rightRgb = undefined;
      const checker = await stereo();
      w.stereo = await checker.check(w.rgb!, right, w.frame.calibration, w.frame.stereo!.calibration, w.frame.groundZ ?? defaultGroundZ);
    });
  }, concurrency);
}
