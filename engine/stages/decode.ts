/** Stage 1: compressed or raw image -> packed RGB (sharp works off the main thread). */
import { mergeMap, type OperatorFunction } from 'rxjs';
import type { CameraCalibration } from '../../types/index.js';
import { decodeImage, type RgbImage } from '../perception/decode.js';
import { errorText, runStep, type FrameWork } from '../work.js';

/** Where a frame came from, for error messages. */
export function frameName(w: FrameWork): string {
  return w.frame.source ?? `frame ${w.frame.index}`;
}

/** The calibration may be for another size of the same image, but not for a crop. */
function checkAspect(image: RgbImage, calib: CameraCalibration, where: string): void {
  const aspect = image.width / image.height / (calib.width / calib.height);
  if (Math.abs(aspect - 1) > 0.02) {
    throw new Error(`${where}: image is ${image.width}x${image.height} but its calibration is for ${calib.width}x${calib.height} (different aspect ratio)`);
  }
}

/** `stereo`: decode the right image of frames that carry one (false: ignore it). */
export function decodeStage(concurrency: number, opts: { stereo: boolean } = { stereo: true }): OperatorFunction<FrameWork, FrameWork> {
  return mergeMap(
    (work) =>
      runStep(work, 'decode', async (w) => {
        const stereo = opts.stereo && w.frame.stereo;
        const [image, right] = await Promise.all([decodeImage(w.frame.image, frameName(w)), stereo ? decodeRight(w).catch((err: unknown) => err as Error) : undefined]);
        const calib = w.frame.calibration;
        if (!calib) throw new Error(`${frameName(w)}: the frame has no camera calibration`);
        checkAspect(image, calib, frameName(w));
        w.rgb = image;
        // A bad right image costs the frame its stereo check, not the frame.
        if (right instanceof Error) {
          w.diagnostics.push({ level: 'warn', stage: 'decode', message: `stereo right image skipped, the frame uses the segmentation alone: ${errorText(right)}` });
        } else w.rightRgb = right;
      }),
    concurrency,
  );
}

async function decodeRight(w: FrameWork): Promise<RgbImage> {
  const stereo = w.frame.stereo!;
  const where = stereo.source ?? `${frameName(w)} (right camera)`;
  if (!stereo.calibration) throw new Error(`${where}: no camera calibration`);
  const image = await decodeImage(stereo.image, where);
  checkAspect(image, stereo.calibration, where);
  return image;
}
