/**
 * The segmentation model manifest: the JSON file beside an .onnx model that says how to feed it
 * and how to read its output. Any ONNX segmentation model with a valid manifest runs in the
 * engine without code changes. See docs/perception.md for the format.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../../datasets/data-root.js';
import type { ClassInfo } from '../../types/index.js';

export type ClassRole = ClassInfo['role'];

export interface ManifestInput {
  /** Input tensor name in the ONNX graph. */
  name: string;
  width: number;
  height: number;
  layout: 'NCHW';
  colorOrder: 'RGB' | 'BGR';
  /** Tensor value = (pixel * scale - mean[c]) / std[c], c in colorOrder. */
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
  /**
   * How an image becomes the model's input. 'stretch': resized to width x height whatever its
   * aspect ratio. 'keep-aspect' (models whose height and width are free): resized to about
   * width x height pixels in the image's own aspect ratio, each side a multiple of
   * sizeMultiple; a wide camera is not squeezed into the shape the model was trained at.
   */
  resize: 'stretch' | 'keep-aspect';
  /** keep-aspect: input sides are multiples of this (the network's stride). */
  sizeMultiple?: number;
}

export interface ManifestOutput {
  /** Output tensor name in the ONNX graph. */
  name: string;
  /** 'logits': float scores [1, classes, H, W]; 'classes': class indices [1, H, W]. */
  form: 'logits' | 'classes';
  layout: 'NCHW';
  width: number;
  height: number;
  /**
   * A logits model's optional second output: the class index per pixel (their argmax, uint8,
   * [1, H, W] or [1, 1, H, W]). Fetched instead of the logits when the class map is wanted at
   * the model's own resolution (the argmax then runs in onnxruntime, and one byte a pixel
   * crosses into JavaScript instead of a float per class).
   */
  classesName?: string;
}

export interface ManifestClass {
  id: number;
  name: string;
  color: [number, number, number];
  role: ClassRole;
}

export interface SegModelManifest {
  name: string;
  /** The .onnx file, relative to the manifest. */
  onnx: string;
  input: ManifestInput;
  output: ManifestOutput;
  /** In output order: class index i is classes[i]. */
  classes: ManifestClass[];
  license?: string;
  /** Absolute path of the manifest file itself (set by loadManifest). */
  path: string;
  /** Absolute path of the .onnx file (set by loadManifest). */
  onnxPath: string;
}

export const DEFAULT_MODEL = 'camvid-dsnet';

/** The manifest of the model committed in models/. */
export function defaultManifestPath(): string {
  return join(repoRoot(), 'models', `${DEFAULT_MODEL}.manifest.json`);
}

const ROLES: readonly ClassRole[] = ['drivable', 'obstacle', 'ground', 'ignore'];

/** Reads and validates a manifest; every problem is reported with the file and field. */
export function loadManifest(path: string = defaultManifestPath()): SegModelManifest {
  const file = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`model manifest ${file}: cannot read JSON (${(e as Error).message})`);
  }
  return validateManifest(raw, file);
}

export function validateManifest(raw: unknown, file: string): SegModelManifest {
  const fail = (field: string, why: string): never => {
    throw new Error(`model manifest ${file}: ${field} ${why}`);
  };
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(field, 'must be an object');
  const str = (v: unknown, field: string): string => (typeof v === 'string' && v.length > 0 ? v : fail(field, 'must be a non-empty string'));
  const posInt = (v: unknown, field: string): number =>
    Number.isInteger(v) && (v as number) > 0 ? (v as number) : fail(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  const oneOf = <T extends string>(v: unknown, field: string, allowed: readonly T[]): T =>
    allowed.includes(v as T) ? (v as T) : fail(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  const triple = (v: unknown, field: string, positive: boolean): [number, number, number] => {
    if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0)))
      fail(field, `must be 3 finite numbers${positive ? ' > 0' : ''}, got ${JSON.stringify(v)}`);
    return v as [number, number, number];
  };

  const m = obj(raw, '(top level)');
  const input = obj(m.input, 'input');
  const output = obj(m.output, 'output');
  const scale = input.scale;
  if (typeof scale !== 'number' || !(scale > 0)) fail('input.scale', `must be a number > 0, got ${JSON.stringify(scale)}`);
  if (!Array.isArray(m.classes) || m.classes.length === 0) fail('classes', 'must be a non-empty array');
  const classList = m.classes as unknown[];
  if (classList.length > 256) fail('classes', 'has more than 256 entries (class maps are 8-bit)');
  const classes = classList.map((c, i): ManifestClass => {
    const o = obj(c, `classes[${i}]`);
    const color = o.color;
    if (!Array.isArray(color) || color.length !== 3 || !color.every((x) => Number.isInteger(x) && x >= 0 && x <= 255))
      fail(`classes[${i}].color`, `must be [r, g, b] in 0..255, got ${JSON.stringify(color)}`);
    if (o.id !== undefined && o.id !== i) fail(`classes[${i}].id`, `must equal its position ${i} (classes are in output order), got ${JSON.stringify(o.id)}`);
    return {
      id: i,
      name: str(o.name, `classes[${i}].name`),
      color: color as [number, number, number],
      role: oneOf(o.role, `classes[${i}].role`, ROLES),
    };
  });
  const onnx = str(m.onnx, 'onnx');
  const width = posInt(input.width, 'input.width');
  const height = posInt(input.height, 'input.height');
  const resize = oneOf(input.resize ?? 'stretch', 'input.resize', ['stretch', 'keep-aspect'] as const);
  let sizeMultiple: number | undefined;
  if (resize === 'keep-aspect') {
    sizeMultiple = posInt(input.sizeMultiple, 'input.sizeMultiple');
    if (width % sizeMultiple !== 0 || height % sizeMultiple !== 0)
      fail('input.width and input.height', `must be multiples of input.sizeMultiple (${sizeMultiple}), got ${width}x${height}`);
  }
  return {
    name: str(m.name, 'name'),
    onnx,
    input: {
      name: str(input.name, 'input.name'),
      width,
      height,
      layout: oneOf(input.layout, 'input.layout', ['NCHW'] as const),
      colorOrder: oneOf(input.colorOrder, 'input.colorOrder', ['RGB', 'BGR'] as const),
      scale: scale as number,
      mean: triple(input.mean, 'input.mean', false),
      std: triple(input.std, 'input.std', true),
      resize,
      sizeMultiple,
    },
    output: {
      name: str(output.name, 'output.name'),
      form: oneOf(output.form, 'output.form', ['logits', 'classes'] as const),
      layout: oneOf(output.layout ?? 'NCHW', 'output.layout', ['NCHW'] as const),
      width: posInt(output.width, 'output.width'),
      height: posInt(output.height, 'output.height'),
      classesName: output.classesName === undefined ? undefined : str(output.classesName, 'output.classesName'),
    },
    classes,
    license: typeof m.license === 'string' ? m.license : undefined,
    path: file,
    onnxPath: resolve(dirname(file), onnx),
  };
}

/** The class table carried by every Segmentation made with this model. */
export function classTable(manifest: SegModelManifest): ClassInfo[] {
  return manifest.classes.map((c) => ({ id: c.id, name: c.name, color: [...c.color] as [number, number, number], role: c.role }));
}
