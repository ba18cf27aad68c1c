/**
 * Perception timings on a real CamVid frame, for every model in models/ (the engine's default
 * first): the segmentation model in onnxruntime-node with 1 and 2 intra-op threads, the same
 * model (its torch twin, models/<name>.pt) in torch measured in the same run, and the
 * pre-/post-processing steps around the model.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCamvidSplit } from '../datasets/camvid.js';
import { dataPath, repoRoot } from '../datasets/data-root.js';
import { decodeImage } from '../engine/perception/decode.js';
import { argmaxPlanes, argmaxResampled, resizeNearest } from '../engine/perception/postprocess.js';
import { normaliseToNchw, resizeRgb } from '../engine/perception/preprocess.js';
import { OnnxSegmenter } from '../engine/perception/segmenter.js';
import { defaultManifestPath } from '../engine/perception/manifest.js';

const RUNS = 50;

async function timeMs(runs: number, f: () => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await f();
  const t = performance.now();
  for (let i = 0; i < runs; i++) await f();
  return (performance.now() - t) / runs;
}

function torchTiming(weights: string): { ms: Record<string, number>; version: string } | string {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return `${python} not found`;
  if (!existsSync(weights)) return `${weights} not found`;
  const r = spawnSync(python, [join(repoRoot(), 'models', 'recipe', 'time_torch.py'), '--weights', weights, '--threads', '1', '2', '--runs', String(RUNS)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    const err = (r.stderr || r.error?.message || '').trim().split('\n').pop() ?? '';
    return /No module named 'torch'/.test(err) ? 'python3-torch is not installed' : `time_torch.py failed: ${err}`;
  }
  const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  return { ms: j.msPerFrame, version: j.torch };
}

/** The committed models' manifests, the default first. */
function modelManifests(): string[] {
  const dir = join(repoRoot(), 'models');
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.manifest.json'))
    .map((f) => join(dir, f));
  const first = defaultManifestPath();
  return [first, ...all.filter((p) => p !== first).sort()];
}

export async function run(): Promise<void> {
  for (const manifest of modelManifests()) await benchModel(manifest);
}

async function benchModel(manifest: string): Promise<void> {
  const sample = readCamvidSplit(dataPath('camvid', 'val')).samples[0];
  const jpeg = readFileSync(sample.imagePath);
  const seg1 = await OnnxSegmenter.load(manifest, { threads: 1 });
  const seg2 = await OnnxSegmenter.load(manifest, { threads: 2 });
  const m = seg2.manifest;
  const { width: W, height: H } = m.input;
  const img = await decodeImage({ format: 'jpeg', data: jpeg }, sample.imagePath);
  console.log(`model ${m.name} (${m.onnxPath}), input ${W}x${H}, frame ${img.width}x${img.height} (${sample.name}), ${RUNS} runs each`);

  // Prepare both sessions' input buffers with the real frame, then time the model alone.
  await seg1.segmentRgb(img.rgb, img.width, img.height, 0n);
  await seg2.segmentRgb(img.rgb, img.width, img.height, 0n);
  // The logits, as torch gives them; and the model's argmax output, as the engine fetches it.
  const ort1 = await timeMs(RUNS, () => seg1.runModelOnly('logits'));
  const ort2 = await timeMs(RUNS, () => seg2.runModelOnly('logits'));
  const ortClasses = await timeMs(RUNS, () => seg2.runModelOnly('classes'));
  const torch = torchTiming(join(repoRoot(), 'models', `${m.name}.pt`));

  const decode = await timeMs(RUNS, () => decodeImage({ format: 'jpeg', data: jpeg }));
  const tensor = new Float32Array(3 * W * H);
  const resize = await timeMs(RUNS, () => resizeRgb(img.rgb, img.width, img.height, W, H));
  const small = await resizeRgb(img.rgb, img.width, img.height, W, H);
  const normalise = await timeMs(RUNS, () => normaliseToNchw(small, m.input, tensor));
  const C = m.classes.length;
  const logits = new Float32Array(C * W * H);
  for (let i = 0; i < logits.length; i++) logits[i] = Math.sin(i * 0.37);
  const map = new Uint8Array(W * H);
  const scratch = new Float32Array(W * H);
  const argmax = await timeMs(RUNS, () => argmaxPlanes(logits, C, map, scratch));
  const nearest = await timeMs(RUNS, () => resizeNearest(map, W, H, img.width, img.height));
  const resampled = await timeMs(RUNS, () => argmaxResampled(logits, C, W, H, img.width, img.height));
  const full = await timeMs(RUNS, () => seg2.segmentRgb(img.rgb, img.width, img.height, 0n));

  const f = (v: number) => v.toFixed(2).padStart(7);
  console.log('model ms/frame');
  console.log(`  onnxruntime-node, 1 thread   ${f(ort1)}`);
  console.log(`  onnxruntime-node, 2 threads  ${f(ort2)}   (${(ort1 / ort2).toFixed(2)}x the 1-thread speed)`);
  if (m.output.classesName) console.log(`  same, fetching '${m.output.classesName}' (the argmax) instead of the logits  ${f(ortClasses)}`);
  if (typeof torch === 'string') {
    console.log(`  torch: skipped (${torch})`);
  } else {
    console.log(`  torch ${torch.version}, 1 thread   ${f(torch.ms['1'])}   (onnxruntime is ${(torch.ms['1'] / ort1).toFixed(2)}x faster)`);
    console.log(`  torch ${torch.version}, 2 threads  ${f(torch.ms['2'])}   (onnxruntime is ${(torch.ms['2'] / ort2).toFixed(2)}x faster)`);
  }
  console.log('pre-processing ms/frame');
  console.log(`  decode JPEG ${img.width}x${img.height}        ${f(decode)}`);
  console.log(`  resize to ${W}x${H} (sharp)     ${f(resize)}`);
  console.log(`  normalise into NCHW float32   ${f(normalise)}`);
  console.log('post-processing ms/frame');
  console.log(`  argmax ${C}x${W}x${H}            ${f(argmax)}`);
  console.log(`  class map nearest to ${img.width}x${img.height}  ${f(nearest)}`);
  console.log(`  logits bilinear + argmax at ${img.width}x${img.height} (eval) ${f(resampled)}`);
  console.log(`segmentRgb end to end (2 threads, map at model size)  ${f(full)}   model share ${((ortClasses / full) * 100).toFixed(0)} %`);
  await seg1.dispose();
  await seg2.dispose();
}
