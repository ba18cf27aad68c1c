/**
 * What the engine needs from a segmentation model. OnnxSegmenter (engine/perception) fits it;
 * so can any other model runner a library user brings.
 */
import type { ClassInfo, Segmentation, TimeNs } from '../types/index.js';

export interface Segmenter {
  readonly classTable: ClassInfo[];
  /**
   * Segments packed 8-bit RGB. With outWidth/outHeight the class map comes at that size,
   * otherwise at the model's own resolution.
   */
  segmentRgb(
    rgb: Uint8Array,
    width: number,
    height: number,
    timeNs: TimeNs,
    opts?: { outWidth?: number; outHeight?: number },
  ): Promise<Segmentation>;
  /**
   * Gets ready for frames of this size before the first one comes (a model runner creates and
   * warms up what that size needs), so the first frames are not slow. Optional.
   */
  prepare?(width: number, height: number): Promise<void>;
  /** Milliseconds of the last call by step, if the runner keeps them. */
  readonly lastTimings?: { readonly preprocess?: number; readonly model?: number; readonly postprocess?: number };
  dispose?(): Promise<void>;
}
