/** Stage 2: RGB -> class map, through the segmentation model (onnxruntime runs off the main thread). */
import { mergeMap, type OperatorFunction } from 'rxjs';
import type { Segmenter } from '../segmenter.js';
import { runStep, type FrameWork } from '../work.js';

export interface SegmentStageOptions {
  /** 'image': class map at the image's size (logits resampled before the argmax); 'model': at the model's. */
  size: 'image' | 'model';
}

export function segmentStage(segmenter: Segmenter, opts: SegmentStageOptions, concurrency: number): OperatorFunction<FrameWork, FrameWork> {
  return mergeMap(
    (work) =>
      runStep(work, 'segment', async (w) => {
        const { rgb, width, height } = w.rgb!;
        const size = opts.size === 'image' ? { outWidth: width, outHeight: height } : {};
        w.segmentation = await segmenter.segmentRgb(rgb, width, height, w.frame.timeNs, size);
        const steps = segmenter.lastTimings;
        if (steps) for (const [k, v] of Object.entries(steps)) if (typeof v === 'number') w.timings[`segment.${k}`] = v;
        w.rgb = undefined; // the pixels are not needed any more
      }),
    concurrency,
  );
}
