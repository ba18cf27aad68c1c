/** `grokdrive eval seg`: the CamVid protocol at label resolution for an ONNX segmentation model. */
import { parseArgs } from 'node:util';
import { dataPath } from '../../../datasets/data-root.js';
import { evaluateSegmenter } from '../../../engine/perception/evaluate.js';
import { OnnxSegmenter } from '../../../engine/perception/segmenter.js';
import { progressBar } from '../../progress-bar.js';

export const usage =
  'grokdrive eval seg [--data <split_dir>] [--model <manifest.json>] [--json] [--out <dir>] [--samples N] [--limit N] [--threads N]\n' +
  '    per-class IoU, mIoU, pixel accuracy and a confusion matrix at label resolution (default split: CamVid val);\n' +
  '    writes N image | prediction | label PNGs to --out (default out/eval-seg, N default 4)';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: 'out/eval-seg' },
      samples: { type: 'string', default: '4' },
      limit: { type: 'string' },
      threads: { type: 'string', default: '2' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`eval seg: ${name} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
  const splitDir = values.data ?? dataPath('camvid', 'val');
  const seg = await OnnxSegmenter.load(values.model, { threads: int('--threads', values.threads, 1) });
  try {
    const limit = values.limit !== undefined ? int('--limit', values.limit, 1) : undefined;
    let bar: ReturnType<typeof progressBar> | undefined;
    const r = await evaluateSegmenter(seg, splitDir, {
      limit,
      sideBySide: { dir: values.out, count: int('--samples', values.samples, 0) },
      onProgress: (done, total) => {
        bar ??= progressBar('eval seg', total, 'images');
        bar.update(done);
      },
    });
    bar?.finish();
    if (values.json) {
      console.log(JSON.stringify({ miou: r.miou, pixelAccuracy: r.pixelAccuracy, perClassIoU: r.perClassIoU, images: r.images, model: r.model, split: r.split, ms: r.ms }));
      return 0;
    }
    const pct = (v: number) => (Number.isNaN(v) ? '   n/a' : (v * 100).toFixed(1).padStart(6));
    const lines = [
      `model ${r.model}`,
      `split ${r.split} (${r.images} images, scored at label resolution, void ignored)`,
      '',
      'class        IoU %',
      ...r.classNames.map((n) => `${n.padEnd(12)}${pct(r.perClassIoU[n])}`),
      '',
      `mIoU           ${pct(r.miou)} %`,
      `pixel accuracy ${pct(r.pixelAccuracy)} %`,
      '',
      'confusion matrix (% of each label row):',
      r.confusion.format(r.classNames),
      '',
      `ms/frame: preprocess ${r.ms.preprocess.toFixed(1)}, model ${r.ms.model.toFixed(1)}, postprocess (logits resampled to label size) ${r.ms.postprocess.toFixed(1)}`,
    ];
    if (r.sideBySide.length) lines.push(`wrote ${r.sideBySide.length} image | prediction | label PNGs to ${values.out}`);
    console.log(lines.join('\n'));
    return 0;
  } finally {
    await seg.dispose();
  }
}
