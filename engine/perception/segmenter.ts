/**
 * OnnxSegmenter: onnxruntime-node sessions of one model, created once per input size. Frames go
 * through sharp resize (or padding, input-plan.ts) -> normalise into a reused Float32 NCHW
 * buffer -> run -> the model's own argmax output, or an argmax of its logits, into Uint8. A
 * 'keep-aspect' model gets a session specialised to each camera's input size (the sizes of a
 * drive rarely change; a few are kept).
 */
import { existsSync, readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { ClassInfo, ImageData, Segmentation } from '../../types/index.js';
import type { TimeNs } from '../../types/time.js';
import { decodeImage } from './decode.js';
import { fixInputShape } from './fix-input-shape.js';
import { classTable, defaultManifestPath, loadManifest, type SegModelManifest } from './manifest.js';
import { modelInputPlan, type InputPlan } from './input-plan.js';
import { checkModelFitsManifest } from './model-check.js';
import { argmaxPlanes, argmaxResampled, cropMap, resizeNearest } from './postprocess.js';
import { normalisePaddedToNchw, resizeRgb } from './preprocess.js';

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

/** A session for one input size, with that size's reused buffers. */
interface SizedSession {
  width: number;
  height: number;
  session: ort.InferenceSession;
  input: Float32Array;
  tensor: ort.Tensor;
  /** Argmax scratch (best score per pixel), sized on first use. */
  best: Float32Array;
}

/** Sessions kept for different input sizes (a camera each); the oldest goes first. */
const MAX_SIZES = 4;

/** Model runs on a blank frame in prepare(): onnxruntime's first runs of a session are slow. */
const WARM_UP_RUNS = 3;

export class OnnxSegmenter {
  readonly manifest: SegModelManifest;
  readonly classTable: ClassInfo[];
  readonly lastTimings: SegmentTimings = { preprocess: 0, model: 0, postprocess: 0 };
  private readonly sessions = new Map<string, Promise<SizedSession>>();
  private current: SizedSession;
  /** Calls are serialised: they share the input buffers. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    first: SizedSession,
    manifest: SegModelManifest,
    private readonly options: ort.InferenceSession.SessionOptions,
    /** The model's bytes, to specialise to other input sizes (keep-aspect models only). */
    private readonly freeSizeModel: Uint8Array | undefined,
  ) {
    this.manifest = manifest;
    this.classTable = classTable(manifest);
    this.current = first;
    this.sessions.set(`${first.width}x${first.height}`, Promise.resolve(first));
  }

  /** Loads the model a manifest names (default: the committed CamVid model) and checks they fit. */
  static async load(manifestPath: string = defaultManifestPath(), opts: SegmenterOptions = {}): Promise<OnnxSegmenter> {
    const manifest = loadManifest(manifestPath);
    if (!existsSync(manifest.onnxPath)) throw new Error(`model manifest ${manifest.path}: onnx file ${manifest.onnxPath} does not exist`);
    const threads = opts.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`segmenter: threads must be a positive integer, got ${threads}`);
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: opts.spin ? '1' : '0' } } },
    };
    const keepAspect = manifest.input.resize === 'keep-aspect';
    const bytes = keepAspect ? readFileSync(manifest.onnxPath) : undefined;
    const session = await createSession(manifest, bytes ?? manifest.onnxPath, options);
    checkModelFitsManifest(session, manifest);
    const { width, height } = manifest.input;
    if (!bytes) return new OnnxSegmenter(sized(session, width, height), manifest, options, undefined);
    // The checked session has free sizes; frames run on sessions specialised to their size.
    await session.release();
    const first = await specialise(manifest, bytes, options, width, height);
    checkModelFitsManifest(first.session, manifest, { specialised: true });
    return new OnnxSegmenter(first, manifest, options, bytes);
  }

  /** Segments packed RGB of any size; the map is at the model's output size unless asked otherwise. */
  segmentRgb(rgb: Uint8Array, width: number, height: number, timeNs: TimeNs, opts: SegmentOptions = {}): Promise<Segmentation> {
    // The resize starts at once on sharp's threads, so it overlaps the model run of the frame
    // before; the rest waits its turn (the input buffers are shared).
    const t0 = performance.now();
    let plan: InputPlan;
    try {
      plan = modelInputPlan(this.manifest.input, width, height);
    } catch (err) {
      return Promise.reject(err); // a promise-returning call does not throw
    }
    const resized = resizeRgb(rgb, width, height, plan.contentWidth, plan.contentHeight).then((px) => ({ px, ms: performance.now() - t0 }));
    resized.catch(() => undefined); // reported through `run`
    const run = this.queue.then(async () => this.segmentNow(await this.sessionFor(plan.width, plan.height), plan, await resized, timeNs, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Creates the session for frames of this size and runs it a few times (see Segmenter.prepare). */
  prepare(width: number, height: number): Promise<void> {
    const run = this.queue.then(async () => {
      const plan = modelInputPlan(this.manifest.input, width, height);
      const model = await this.sessionFor(plan.width, plan.height);
      for (let i = 0; i < WARM_UP_RUNS; i++) {
        const result = await model.session.run({ [this.manifest.input.name]: model.tensor }, [this.mapOutputName]);
        for (const t of Object.values(result)) t.dispose();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Decodes (JPEG, PNG, raw) and segments; `source` names the frame in errors. */
  async segmentImage(image: ImageData, timeNs: TimeNs, opts: SegmentOptions = {}, source?: string): Promise<Segmentation> {
    const { rgb, width, height } = await decodeImage(image, source);
    return this.segmentRgb(rgb, width, height, timeNs, opts);
  }

  /** How an image of this size enters the model (tensor size, and the part the image fills). */
  inputPlan(width: number, height: number): InputPlan {
    return modelInputPlan(this.manifest.input, width, height);
  }

  /** Nearest-neighbour resampling of a segmentation to another image size. */
  resize(seg: Segmentation, width: number, height: number): Segmentation {
    if (seg.width === width && seg.height === height) return seg;
    return { ...seg, width, height, classes: resizeNearest(seg.classes, seg.width, seg.height, width, height) };
  }

  async dispose(): Promise<void> {
    await this.queue;
    for (const s of this.sessions.values()) await (await s).session.release();
    this.sessions.clear();
  }

  /**
   * Runs the model alone on the input buffer of the last segmented frame's size (for
   * benchmarks): 'classes' fetches what segmentRgb fetches at the model's resolution (the
   * argmax output if the model has one), 'logits' the logits.
   */
  async runModelOnly(fetch: 'classes' | 'logits' = 'classes'): Promise<void> {
    const name = fetch === 'classes' ? this.mapOutputName : this.manifest.output.name;
    const result = await this.current.session.run({ [this.manifest.input.name]: this.current.tensor }, [name]);
    for (const t of Object.values(result)) t.dispose();
  }

  /** The output fetched for a class map at the model's resolution: its argmax output if it has one. */
  private get mapOutputName(): string {
    return this.manifest.output.classesName ?? this.manifest.output.name;
  }

  private sessionFor(width: number, height: number): Promise<SizedSession> {
    const key = `${width}x${height}`;
    let s = this.sessions.get(key);
    if (!s) {
      if (!this.freeSizeModel) throw new Error(`segmenter: model ${this.manifest.name} only takes ${this.manifest.input.width}x${this.manifest.input.height}`);
      s = specialise(this.manifest, this.freeSizeModel, this.options, width, height);
      this.sessions.set(key, s);
      s.catch(() => this.sessions.delete(key));
      if (this.sessions.size > MAX_SIZES) {
        const [oldKey, old] = this.sessions.entries().next().value!;
        this.sessions.delete(oldKey);
        void old.then((o) => o.session.release()).catch(() => undefined);
      }
    }
    return s;
  }

  private async segmentNow(model: SizedSession, plan: InputPlan, resized: { px: Uint8Array; ms: number }, timeNs: TimeNs, opts: SegmentOptions): Promise<Segmentation> {
    const { input, output } = this.manifest;
    this.current = model;
    const t0 = performance.now();
    normalisePaddedToNchw(resized.px, plan.contentWidth, plan.contentHeight, input, model.input, plan.width, plan.height);
    // The output plane at this input size, and the part of it that shows the image.
    const planeW = Math.round((plan.width * output.width) / input.width);
    const planeH = Math.round((plan.height * output.height) / input.height);
    const mapW = Math.round((plan.contentWidth * planeW) / plan.width);
    const mapH = Math.round((plan.contentHeight * planeH) / plan.height);
    const outW = opts.outWidth ?? mapW;
    const outH = opts.outHeight ?? mapH;
    // At the model's resolution the model's own argmax output will do, if it has one.
    const argmaxInModel = output.classesName !== undefined && outW === mapW && outH === mapH;
    const fetch = argmaxInModel ? this.mapOutputName : output.name;
    const t1 = performance.now();
    const result = await model.session.run({ [input.name]: model.tensor }, [fetch]);
    const t2 = performance.now();
    const tensor = result[fetch];
    const got = tensor.dims.slice(-2);
    if (got[0] !== planeH || got[1] !== planeW)
      throw new Error(`model ${this.manifest.name}: output '${fetch}' is ${got[1]}x${got[0]} for a ${plan.width}x${plan.height} input, the manifest makes it ${planeW}x${planeH}`);
    let classes: Uint8Array;
    if (argmaxInModel) {
      classes = cropMap(tensor.data as Uint8Array, planeW, mapW, mapH);
      if (classes === tensor.data) classes = classes.slice(); // a buffer of its own (it may be handed to another thread)
    } else if (output.form === 'logits') {
      const logits = tensor.data as Float32Array;
      const n = planeW * planeH;
      if (model.best.length !== n) model.best = new Float32Array(n);
      classes =
        outW === mapW && outH === mapH
          ? cropMap(argmaxPlanes(logits, this.classTable.length, new Uint8Array(n), model.best), planeW, mapW, mapH)
          : argmaxResampled(logits, this.classTable.length, mapW, mapH, outW, outH, { width: planeW, height: planeH });
    } else {
      const idx = tensor.data as ArrayLike<number | bigint>;
      const map = new Uint8Array(planeW * planeH);
      for (let i = 0; i < map.length; i++) map[i] = Number(idx[i]);
      classes = resizeNearest(cropMap(map, planeW, mapW, mapH), mapW, mapH, outW, outH);
    }
    for (const t of Object.values(result)) t.dispose();
    const t3 = performance.now();
    this.lastTimings.preprocess = resized.ms + (t1 - t0); // resize (possibly overlapped) + normalise
    this.lastTimings.model = t2 - t1;
    this.lastTimings.postprocess = t3 - t2;
    return { timeNs, width: outW, height: outH, classes, classTable: this.classTable };
  }
}

async function createSession(manifest: SegModelManifest, model: string | Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  try {
    // Two calls for create's two overloads (a path, or the model's bytes).
    return typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  } catch (e) {
    throw new Error(`cannot load ONNX model ${manifest.onnxPath}: ${(e as Error).message}`);
  }
}

function sized(session: ort.InferenceSession, width: number, height: number): SizedSession {
  const input = new Float32Array(3 * width * height);
  return { width, height, session, input, tensor: new ort.Tensor('float32', input, [1, 3, height, width]), best: new Float32Array(0) };
}

/** A session of a free-size model with its input fixed at width x height. */
async function specialise(manifest: SegModelManifest, bytes: Uint8Array, options: ort.InferenceSession.SessionOptions, width: number, height: number): Promise<SizedSession> {
  let fixed: Uint8Array;
  try {
    fixed = fixInputShape(bytes, manifest.input.name, [1, 3, height, width]);
  } catch (e) {
    throw new Error(`cannot give ONNX model ${manifest.onnxPath} the input size ${width}x${height}: ${(e as Error).message}`);
  }
  return sized(await createSession(manifest, fixed, options), width, height);
}
