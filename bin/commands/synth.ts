/**
 * `grokdrive synth -o drive.mcap --seed S --seconds T`: render a seeded synthetic drive with
 * ground truth into a drive log.
 */
import { parseArgs } from 'node:util';
import { progressBar } from '../progress-bar.js';

export const summary = 'render a seeded synthetic drive (camera, poses, ground-truth labels and occupancy) to MCAP';

const USAGE = `usage: grokdrive synth -o drive.mcap [--seed S] [--seconds T] [--fps 10] [--width 480 --height 360] [--quality 90]
       grokdrive synth --dataset DIR --split train [--seed S] [--drives N] [--every 10] [--seconds T]

Renders a procedural town from the seed: the ego car drives a route through it while a
calibrated camera records JPEG frames. The log holds images, calibration, ego poses, and
ground truth: per-pixel CamVid labels (/ground_truth/<camera>/segmentation) and occupancy
(/ground_truth/occupancy). The same options always give the same bytes.

With --dataset, N drives (seeds S .. S+N-1) are sampled every n-th frame into a segmentation
dataset in CamVid's layout: DIR/<split>/images/*.jpg and DIR/<split>/labels/*.png.`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      seed: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '20' },
      fps: { type: 'string', default: '10' },
      width: { type: 'string', default: '480' },
      height: { type: 'string', default: '360' },
      quality: { type: 'string', default: '90' },
      dataset: { type: 'string' },
      split: { type: 'string', default: 'train' },
      drives: { type: 'string', default: '1' },
      every: { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.dataset) {
    const seed0 = integer('--seed', values.seed, 0, 0xffffffff);
    const drives = integer('--drives', values.drives, 1, 100000);
    const { exportSegmentationDataset } = await import('../../datasets/synthetic/index.js');
    let dbar: ReturnType<typeof progressBar> | undefined;
    const res = await exportSegmentationDataset(
      values.dataset,
      {
        seeds: Array.from({ length: drives }, (_, i) => seed0 + i),
        split: values.split!,
        seconds: number('--seconds', values.seconds, 0.1, 3600),
        every: integer('--every', values.every, 1, 100000),
        width: integer('--width', values.width, 16, 4096),
        height: integer('--height', values.height, 16, 4096),
        jpegQuality: integer('--quality', values.quality, 1, 100),
      },
      (done, total) => {
        dbar ??= progressBar('dataset', total, 'images');
        dbar.update(done);
      },
    );
    dbar?.finish();
    console.log(`${res.dir}: ${res.images} images with labels`);
    return 0;
  }
  if (!values.output) {
    console.error('grokdrive synth: give the output file with -o drive.mcap\n\n' + USAGE);
    return 2;
  }
  const seed = integer('--seed', values.seed, 0, 0xffffffff);
  const seconds = number('--seconds', values.seconds, 0.1, 3600);
  const fps = number('--fps', values.fps, 0.1, 100);
  const width = integer('--width', values.width, 16, 4096);
  const height = integer('--height', values.height, 16, 4096);
  const quality = integer('--quality', values.quality, 1, 100);

  const { writeSyntheticDrive } = await import('../../datasets/synthetic/index.js');
  let bar: ReturnType<typeof progressBar> | undefined;
  const result = await writeSyntheticDrive(values.output, { seed, seconds, fps, width, height, jpegQuality: quality }, (done, total) => {
    bar ??= progressBar('synth', total);
    bar.update(done);
  });
  bar?.finish();
  console.log(
    `${result.path}: ${result.frames} frames ${result.width}x${result.height}, ${result.seconds} s, route ${result.routeLength.toFixed(0)} m, ` +
      `render ${result.renderMsPerFrame.toFixed(1)} ms/frame`,
  );
  return 0;
}

function number(name: string, text: string | undefined, lo: number, hi: number): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi) {
    throw new Error(`${name} must be a number in [${lo}, ${hi}] (got '${text}')`);
  }
  return v;
}

function integer(name: string, text: string | undefined, lo: number, hi: number): number {
  const v = number(name, text, lo, hi);
  if (!Number.isInteger(v)) throw new Error(`${name} must be an integer (got '${text}')`);
  return v;
}
