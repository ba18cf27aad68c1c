/**
 * OnnxSegmenter: one onnxruntime-node session per model, created once. Frames go through
 * sharp resize -> normalise into a reused Float32 NCHW buffer -> run -> argmax into Uint8.
 */
import { existsSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { ClassInfo, ImageData, Segmentation } from '../../types/index.js';
import type { TimeNs } from '../../types/time.js';
import { decodeImage } from './decode.js';
import { classTable, defaultManifestPath, loadManifest, type SegModelManifest } from './manifest.js';
import { argmaxPlanes, argmaxResampled, resizeNearest } from './postprocess.js';
import { normaliseToNchw, resizeRgb } from './preprocess.js';

export interface SegmenterOptions {
  /** onnxruntime intra-op threads (default 2). */
  threads?: number;
  /**
   * Let onnxruntime's idle intra-op threads spin waiting for work (default false). Spinning
   * buys little latency and doubles the model's CPU time, which on a 2-core machine is taken
   * from decoding, fusion and writing the log.
   */
  spin?: boolean;
}

export interface SegmentOptions {
  /**
   * Return the class map at this size instead of the model's: logits models resample their
   * logits bilinearly before the argmax; class-index models resample nearest.
   */
  outWidth?: number;
  outHeight?: number;
}

/** Milliseconds of the last segmentRgb call, by step. */
export interface SegmentTimings {
  preprocess: number;
  model: number;
  postprocess: number;
}

export class OnnxSegmenter {
  readonly manifest: SegModelManifest;
  readonly classTable: ClassInfo[];
  readonly lastTimings: SegmentTimings = { preprocess: 0, model: 0, postprocess: 0 };
  private readonly input: Float32Array;
  private readonly inputTensor: ort.Tensor;
  private readonly classMap: Uint8Array;
  private readonly best: Float32Array;
  /** Calls are serialised: they share the input buffer. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly session: ort.InferenceSession, manifest: SegModelManifest) {
    this.manifest = manifest;
    this.classTable = classTable(manifest);
    const { width, height } = manifest.input;
    this.input = new Float32Array(3 * width * height);
    this.inputTensor = new ort.Tensor('float32', this.input, [1, 3, height, width]);
    const outN = manifest.output.width * manifest.output.height;
    this.classMap = new Uint8Array(outN);
    this.best = new Float32Array(outN);
  }

  /** Loads the model a manifest names (default: the committed CamVid model) and checks they fit. */
  static async load(manifestPath: string = defaultManifestPath(), opts: SegmenterOptions = {}): Promise<OnnxSegmenter> {
    const manifest = loadManifest(manifestPath);
    if (!existsSync(manifest.onnxPath)) throw new Error(`model manifest ${manifest.path}: onnx file ${manifest.onnxPath} does not exist`);
    const threads = opts.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`segmenter: threads must be a positive integer, got ${threads}`);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(manifest.onnxPath, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: opts.spin ? '1' : '0' } } },
      });
    } catch (e) {
      throw new Error(`cannot load ONNX model ${manifest.onnxPath}: ${(e as Error).message}`);
    }
    checkModelFitsManifest(session, manifest);
    return new OnnxSegmenter(session, manifest);
  }

  /** Segments packed RGB of any size; the map is at the model's output size unless asked otherwise. */
  segmentRgb(rgb: Uint8Array, width: number, height: number, timeNs: TimeNs, opts: SegmentOptions = {}): Promise<Segmentation> {
    // The resize starts at once on sharp's threads, so it overlaps the model run of the frame
    // before; the rest waits its turn (the input buffer is shared).
    const t0 = performance.now();
    const { input } = this.manifest;
    const resized = resizeRgb(rgb, width, height, input.width, input.height).then((px) => ({ px, ms: performance.now() - t0 }));
    resized.catch(() => undefined); // reported through `run`
    const run = this.queue.then(async () => this.segmentNow(await resized, timeNs, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Decodes (JPEG, PNG, raw) and segments; `source` names the frame in errors. */
  async segmentImage(image: ImageData, timeNs: TimeNs, opts: SegmentOptions = {}, source?: string): Promise<Segmentation> {
    const { rgb, width, height } = await decodeImage(image, source);
    return this.segmentRgb(rgb, width, height, timeNs, opts);
  }

  /** Nearest-neighbour resampling of a segmentation to another image size. */
  resize(seg: Segmentation, width: number, height: number): Segmentation {
    if (seg.width === width && seg.height === height) return seg;
    return { ...seg, width, height, classes: resizeNearest(seg.classes, seg.width, seg.height, width, height) };
  }

  async dispose(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async segmentNow(resized: { px: Uint8Array; ms: number }, timeNs: TimeNs, opts: SegmentOptions): Promise<Segmentation> {
    const { input, output } = this.manifest;
    const t0 = performance.now();
    normaliseToNchw(resized.px, input, this.input);
    const t1 = performance.now();
    const result = await this.session.run({ [input.name]: this.inputTensor });
    const t2 = performance.now();
    const tensor = result[output.name];
    const outW = opts.outWidth ?? output.width;
    const outH = opts.outHeight ?? output.height;
    let classes: Uint8Array;
    if (output.form === 'logits') {
      const logits = tensor.data as Float32Array;
      classes =
        outW === output.width && outH === output.height
          ? argmaxPlanes(logits, this.classTable.length, this.classMap, this.best).slice()
          : argmaxResampled(logits, this.classTable.length, output.width, output.height, outW, outH);
    } else {
      const idx = tensor.data as ArrayLike<number | bigint>;
      const map = new Uint8Array(output.width * output.height);
      for (let i = 0; i < map.length; i++) map[i] = Number(idx[i]);
      classes = resizeNearest(map, output.width, output.height, outW, outH);
    }
    for (const t of Object.values(result)) t.dispose();
    const t3 = performance.now();
    this.lastTimings.preprocess = resized.ms + (t1 - t0); // resize (possibly overlapped) + normalise
    this.lastTimings.model = t2 - t1;
    this.lastTimings.postprocess = t3 - t2;
    return { timeNs, width: outW, height: outH, classes, classTable: this.classTable };
  }

  /** Runs the model alone on the current input buffer (for benchmarks). */
  async runModelOnly(): Promise<void> {
    const result = await this.session.run({ [this.manifest.input.name]: this.inputTensor });
    for (const t of Object.values(result)) t.dispose();
  }
}

/** Throws a message naming both files when the graph's inputs or outputs differ from the manifest. */
export function checkModelFitsManifest(session: ort.InferenceSession, m: SegModelManifest): void {
  const problems: string[] = [];
  const dimOk = (got: number | string | undefined, want: number) => typeof got !== 'number' || got === want;
  const inMeta = session.inputMetadata.find((x) => x.name === m.input.name);
  if (!inMeta) {
    problems.push(`input '${m.input.name}' not in the model (its inputs: ${session.inputNames.join(', ')})`);
  } else if (inMeta.isTensor) {
    const s = inMeta.shape;
    if (inMeta.type !== 'float32') problems.push(`input '${m.input.name}' is ${inMeta.type}, the segmenter feeds float32`);
    if (s.length !== 4 || !dimOk(s[0], 1) || !dimOk(s[1], 3) || !dimOk(s[2], m.input.height) || !dimOk(s[3], m.input.width))
      problems.push(`input '${m.input.name}' has shape [${s.join(', ')}], manifest says [1, 3, ${m.input.height}, ${m.input.width}]`);
  }
  if (session.inputNames.length !== 1) problems.push(`model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}), expected 1`);
  const outMeta = session.outputMetadata.find((x) => x.name === m.output.name);
  const C = m.classes.length;
  if (!outMeta) {
    problems.push(`output '${m.output.name}' not in the model (its outputs: ${session.outputNames.join(', ')})`);
  } else if (outMeta.isTensor) {
    const s = outMeta.shape;
    if (m.output.form === 'logits') {
      if (outMeta.type !== 'float32') problems.push(`output '${m.output.name}' is ${outMeta.type}, logits must be float32`);
      if (s.length !== 4 || !dimOk(s[0], 1) || !dimOk(s[1], C) || !dimOk(s[2], m.output.height) || !dimOk(s[3], m.output.width))
        problems.push(`output '${m.output.name}' has shape [${s.join(', ')}], manifest says logits [1, ${C}, ${m.output.height}, ${m.output.width}] (${C} classes)`);
    } else {
      if (!['int64', 'int32', 'uint8', 'int8'].includes(outMeta.type)) problems.push(`output '${m.output.name}' is ${outMeta.type}, class indices must be integers`);
      const hw = s.length === 4 ? s.slice(2) : s.length === 3 ? s.slice(1) : null;
      if (!hw || !dimOk(hw[0], m.output.height) || !dimOk(hw[1], m.output.width))
        problems.push(`output '${m.output.name}' has shape [${s.join(', ')}], manifest says class indices [1, ${m.output.height}, ${m.output.width}]`);
    }
  }
  if (problems.length > 0)
    throw new Error(`ONNX model ${m.onnxPath} does not fit its manifest ${m.path}:\n  - ${problems.join('\n  - ')}`);
}
