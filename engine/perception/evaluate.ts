/**
 * The CamVid evaluation protocol at label resolution: each image is segmented, the model's
 * logits resampled to the label size (480x360), and a confusion matrix accumulated over all
 * non-void pixels. mIoU is the mean over the classes that occur.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAMVID_VOID, loadCamvidLabel, readCamvidSplit } from '../../datasets/camvid.js';
import { ConfusionMatrix } from '../../datasets/metrics/segmentation.js';
import { decodeImage } from './decode.js';
import type { OnnxSegmenter } from './segmenter.js';
import { colouriseClasses, writeSideBySide } from './visualize.js';

export interface SegEvalOptions {
  /** Only these sample names (in this order); default: the whole split. */
  names?: string[];
  /** Only the first N samples. */
  limit?: number;
  /** Write image | prediction | label PNGs for the first `count` samples into `dir`. */
  sideBySide?: { dir: string; count: number };
  onProgress?: (done: number, total: number) => void;
}

export interface SegEvalResult {
  split: string;
  model: string;
  images: number;
  miou: number;
  pixelAccuracy: number;
  perClassIoU: Record<string, number>;
  classNames: string[];
  confusion: ConfusionMatrix;
  /** Mean milliseconds per frame, by step, over the run. */
  ms: { preprocess: number; model: number; postprocess: number };
  sideBySide: string[];
}

export async function evaluateSegmenter(seg: OnnxSegmenter, splitDir: string, opts: SegEvalOptions = {}): Promise<SegEvalResult> {
  const split = readCamvidSplit(splitDir);
  const names = seg.classTable.map((c) => c.name);
  // The model's class i must be the dataset's class i (void excluded) for the labels to mean the same.
  const dataNames = split.classes.filter((c) => c.id !== CAMVID_VOID).map((c) => c.name);
  if (names.length !== dataNames.length || names.some((n, i) => n !== dataNames[i]))
    throw new Error(`model ${seg.manifest.path} classes [${names.join(', ')}] do not match dataset ${split.dir} classes [${dataNames.join(', ')}]`);
  let samples = split.samples;
  if (opts.names) {
    samples = opts.names.map((n) => {
      const s = split.samples.find((x) => x.name === n);
      if (!s) throw new Error(`CamVid split ${split.dir}: no sample named ${n}`);
      return s;
    });
  }
  if (opts.limit !== undefined) samples = samples.slice(0, opts.limit);
  const cm = new ConfusionMatrix(names.length, CAMVID_VOID);
  const ms = { preprocess: 0, model: 0, postprocess: 0 };
  const written: string[] = [];
  const colors = split.classes.map((c) => c.color);
  if (opts.sideBySide && opts.sideBySide.count > 0) mkdirSync(opts.sideBySide.dir, { recursive: true });
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const img = await decodeImage({ format: 'jpeg', data: readFileSync(s.imagePath) }, s.imagePath);
    const label = await loadCamvidLabel(s.labelPath);
    if (label.width !== img.width || label.height !== img.height)
      throw new Error(`CamVid sample ${s.name}: image is ${img.width}x${img.height}, label ${label.width}x${label.height}`);
    const pred = await seg.segmentRgb(img.rgb, img.width, img.height, BigInt(i), { outWidth: label.width, outHeight: label.height });
    cm.add(pred.classes, label.classes, s.labelPath);
    ms.preprocess += seg.lastTimings.preprocess;
    ms.model += seg.lastTimings.model;
    ms.postprocess += seg.lastTimings.postprocess;
    if (opts.sideBySide && i < opts.sideBySide.count) {
      const path = join(opts.sideBySide.dir, `${s.name}.png`);
      await writeSideBySide(path, [img.rgb, colouriseClasses(pred.classes, colors), colouriseClasses(label.classes, colors)], img.width, img.height);
      written.push(path);
    }
    opts.onProgress?.(i + 1, samples.length);
  }
  const iou = cm.perClassIoU();
  const n = Math.max(1, samples.length);
  return {
    split: split.dir,
    model: seg.manifest.path,
    images: samples.length,
    miou: cm.meanIoU(),
    pixelAccuracy: cm.pixelAccuracy(),
    perClassIoU: Object.fromEntries(names.map((name, i) => [name, iou[i]])),
    classNames: names,
    confusion: cm,
    ms: { preprocess: ms.preprocess / n, model: ms.model / n, postprocess: ms.postprocess / n },
    sideBySide: written,
  };
}
