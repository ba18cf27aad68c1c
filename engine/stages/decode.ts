/** Stage 1: compressed or raw image -> packed RGB (sharp works off the main thread). */
import { mergeMap, type OperatorFunction } from 'rxjs';
import { decodeImage } from '../perception/decode.js';
import { runStep, type FrameWork } from '../work.js';

/** Where a frame came from, for error messages. */
export function frameName(w: FrameWork): string {
  return w.frame.source ?? `frame ${w.frame.index}`;
}

export function decodeStage(concurrency: number): OperatorFunction<FrameWork, FrameWork> {
  return mergeMap(
    (work) =>
      runStep(work, 'decode', async (w) => {
        const image = await decodeImage(w.frame.image, frameName(w));
        const calib = w.frame.calibration;
        if (!calib) throw new Error(`${frameName(w)}: the frame has no camera calibration`);
        // The calibration may be for another size of the same image, but not for a crop.
        const aspect = image.width / image.height / (calib.width / calib.height);
        if (Math.abs(aspect - 1) > 0.02) {
          throw new Error(
            `${frameName(w)}: image is ${image.width}x${image.height} but its calibration is for ${calib.width}x${calib.height} (different aspect ratio)`,
          );
        }
        w.rgb = image;
      }),
    concurrency,
  );
}
