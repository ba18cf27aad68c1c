/** `grokdrive eval occupancy`: camera-only occupancy against lidar ground truth on a KITTI raw drive. */
import { parseArgs } from 'node:util';
import { evaluateOccupancyOnKitti } from '../../../engine/evaluate-occupancy.js';
import { progressBar } from '../../progress-bar.js';
import { occupancyOptionsFromArgs } from '../../../engine/occupancy/occupancy-args.js';

export const usage =
  'grokdrive eval occupancy <kitti_raw_drive_dir> [--model <manifest.json>] [--json] [--out <dir>] [--samples N] [--min-range M] [--max-range M] [--role Class=role ...] [--obstacle-depth M] [--no-stereo] [--lidar-oracle]\n' +
  '    runs the engine on image_02 (with image_03 as its stereo pair, unless --no-stereo) and compares the fused grid with ground truth from the drive\'s velodyne scans,\n' +
  '    cell by cell inside the camera\'s field of view (default 3..30 m): occupied and free precision/recall, IoU;\n' +
  '    writes N ground truth | prediction PNGs to --out (default out/eval-occupancy, N default 3);\n' +
  '    --lidar-oracle segments with the lidar instead of the model: the same walk and fusion fed perfect\n' +
  '    obstacle/road maps, the ceiling of camera-only free space at this image size';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: 'out/eval-occupancy' },
      samples: { type: 'string', default: '3' },
      'min-range': { type: 'string', default: '3' },
      'max-range': { type: 'string', default: '30' },
      role: { type: 'string', multiple: true },
      'obstacle-depth': { type: 'string' },
      'no-stereo': { type: 'boolean', default: false },
      'lidar-oracle': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`grokdrive eval occupancy: expected one KITTI raw drive folder\n${usage}`);
    return 2;
  }
  const num = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`eval occupancy: ${name} must be a number >= ${min}, got '${v}'`);
    return n;
  };
  const samples = num('--samples', values.samples, 0);
  let bar: ReturnType<typeof progressBar> | undefined;
  const r = await evaluateOccupancyOnKitti(positionals[0], {
    engine: { model: values.model, occupancy: occupancyOptionsFromArgs(values.role, values['obstacle-depth']) },
    stereo: values['no-stereo'] ? false : undefined,
    lidarOracle: values['lidar-oracle'],
    minRange: num('--min-range', values['min-range'], 0),
    maxRange: num('--max-range', values['max-range'], 1),
    pngDir: samples > 0 ? values.out : undefined,
    pngCount: Math.floor(samples),
    onProgress: (done, total) => {
      bar ??= progressBar('eval occupancy', total);
      bar.update(done);
    },
  });
  bar?.finish();
  if (values.json) {
    console.log(JSON.stringify(r));
    return 0;
  }
  // 'n/a' where nothing was there to count (no obstacle cell in a band).
  const pct = (v: number) => (Number.isNaN(v) ? '  n/a  ' : `${(v * 100).toFixed(1).padStart(5)} %`);
  const line = (name: string, s: { precision: number; recall: number; iou: number }) =>
    `${name.padEnd(10)} precision ${pct(s.precision)}  recall ${pct(s.recall)}  IoU ${pct(s.iou)}`;
  const out = [
    `drive ${r.drive}: ${r.frames} frames, ${r.evaluatedFrames} with lidar ground truth, ${r.failedFrames.length} failed; segmentation: ${r.segmentation}`,
    `region: ${r.region}; ${r.scores.cells} cells scored (log-odds > ${r.thresholds.occupied} occupied, < -${r.thresholds.free} free)`,
    '',
    'cell by cell:',
    line('occupied', r.scores.occupied),
    line('free', r.scores.free),
    `mean IoU ${pct(r.scores.meanIoU)}, known-truth coverage ${pct(r.scores.coverage)}`,
    '',
    'occupied within one cell:',
    line('occupied', r.scoresWithin1Cell.occupied),
    '',
    'against the truth the camera could see (lidar cells behind the first obstacle left out):',
    line('occupied', r.visible.occupied),
    line('free', r.visible.free),
    line('occ ±1 cell', r.visibleWithin1Cell.occupied),
    ...r.byRange.map((b) => line(`  ${b.from}-${b.to} m`, b.visibleWithin1Cell.occupied)),
    '',
    `occupancy update (project + fuse) p50 ${r.occupancyMs.p50.toFixed(2)} ms, p95 ${r.occupancyMs.p95.toFixed(2)} ms per frame`,
    ...r.failedFrames.map((f) => `failed frame ${f.index}: ${f.reason}`),
    ...(r.pngs.length
      ? [
          '',
          'occupancy-*.png: ground truth | prediction | agreement (green occupied hit, red false occupied, blue missed, magenta free on an obstacle);',
          'camera-*.png, top to bottom: the image, the class map over it, the pixels stereo found flat (green):',
          ...r.pngs.map((p) => `  ${p}`),
        ]
      : []),
  ];
  console.log(out.join('\n'));
  return 0;
}
