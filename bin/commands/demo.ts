/**
 * `grokdrive demo`: the whole pipeline on a machine with nothing downloaded. Renders a seeded
 * synthetic drive, replays it through the engine with the committed model, scores the result
 * against the drive's ground truth, and says how to look at it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { progressBar } from '../progress-bar.js';

export const summary = 'render a synthetic drive, replay it through the engine, score it against ground truth';

const USAGE = `usage: grokdrive demo [--seed 1] [--seconds 20] [--out-dir grokdrive-demo] [--json]

Writes <out-dir>/synthetic-drive.mcap (camera, poses, ground truth) and <out-dir>/result.mcap
(the engine's segmentation, occupancy grid, plans and timings), prints the engine's figures
and how they compare with the ground truth, then the command to open the result.`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '20' },
      'out-dir': { type: 'string', default: 'grokdrive-demo' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer in [0, 2^32) (got '${values.seed}')`);
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 600)) throw new Error(`--seconds must be a number in (0, 600] (got '${values.seconds}')`);
  const dir = resolve(values['out-dir']!);
  mkdirSync(dir, { recursive: true });
  const drivePath = join(dir, 'synthetic-drive.mcap');
  const resultPath = join(dir, 'result.mcap');

  const { writeSyntheticDrive, evaluateAgainstGroundTruth } = await import('../../datasets/synthetic/index.js');
  const { replayDrive } = await import('../../engine/replay/replay-drive.js');
  const { defaultPlanner } = await import('../../engine/planning/default-planner.js');
  const t0 = performance.now();

  const synthBar = lazyBar('1/3 synthesise');
  const drive = await writeSyntheticDrive(drivePath, { seed, seconds }, synthBar.update);
  synthBar.finish();
  const replayBar = lazyBar('2/3 replay    ');
  // The same engine as `grokdrive replay`: committed model, default planner toward the pose 3 s ahead.
  // Pavement as flat ground, not an obstacle: the CamVid model often calls the road's edges
  // Pavement, and as obstacles those put walls across the lane (see docs/synthetic.md).
  const replay = await replayDrive(drivePath, resultPath, {
    planner: defaultPlanner(),
    engine: { occupancy: { classRoles: { Pavement: 'ground' } } },
    onProgress: replayBar.update,
  });
  replayBar.finish();
  process.stderr.write('3/3 scoring against ground truth ...\n');
  const truth = await evaluateAgainstGroundTruth(drivePath, resultPath, { cameraId: replay.camera });
  const totalS = (performance.now() - t0) / 1000;

  if (values.json) {
    console.log(JSON.stringify({ drive, replay, groundTruth: truth, totalSeconds: totalS }));
    return replay.frames.processed > 0 ? 0 : 1;
  }
  const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
  const f = replay.frames;
  const seg = truth.segmentation;
  const occ = truth.occupancy;
  const stage = (name: string): string => {
    const s = replay.stages[name];
    return s ? `${s.p50Ms.toFixed(1)}/${s.p95Ms.toFixed(1)}` : 'n/a';
  };
  const lines = [
    '',
    `synthetic drive   ${drivePath}`,
    `                  seed ${seed}, ${drive.frames} frames ${drive.width}x${drive.height}, ${drive.seconds} s, route ${drive.routeLength.toFixed(0)} m, render ${drive.renderMsPerFrame.toFixed(1)} ms/frame`,
    `engine result     ${resultPath}`,
    `                  ${f.processed}/${f.total} frames processed (${f.dropped} dropped, ${f.failed} failed), ${replay.framesPerSecond.toFixed(1)} frames/s = ${replay.realTimeFactor.toFixed(2)}x real time`,
    `                  stage p50/p95 ms: decode ${stage('decode')}, segment ${stage('segment')}, project ${stage('project')}, fuse ${stage('fuse')}, total ${stage('total')}`,
  ];
  if (replay.openLoop.plans > 0) {
    const o = replay.openLoop;
    lines.push(`                  plans ${o.plansOk}/${o.plans} ok; vs the driven path over ${o.horizonS} s: ADE ${o.ade.toFixed(2)} m, FDE ${o.fde.toFixed(2)} m; plan p50/p95 ms ${stage('plan')}`);
  }
  lines.push(
    `vs ground truth   segmentation: pixel accuracy ${pct(seg.pixelAccuracy)}, mIoU ${pct(seg.mIoU)} over ${seg.perClass.length} classes (${seg.frames} frames)`,
    `                  per class IoU: ${seg.perClass.map((c) => `${c.name} ${pct(c.iou)}`).join(', ')}`,
    `                  occupancy: ${pct(occ.freeCorrect)} of ${occ.freeCells} cells the engine calls free are drivable; ` +
      `${pct(occ.occupiedNearTruth)} of ${occ.occupiedCells} it calls occupied are within ${occ.nearMetres} m of an obstacle or the road's edge`,
    `total             ${totalS.toFixed(1)} s`,
    '',
    'Look at it in the browser:',
    `  grokdrive view ${resultPath}`,
    `  (from a checkout: node dist/bin/grokdrive.js view ${resultPath})`,
  );
  console.log(lines.join('\n'));
  return f.processed > 0 ? 0 : 1;
}

/** A progress bar created on the first report, when the total is known. */
function lazyBar(label: string): { update: (done: number, total: number) => void; finish: () => void } {
  let bar: ReturnType<typeof progressBar> | undefined;
  return {
    update: (done, total) => {
      bar ??= progressBar(label, total);
      bar.update(done);
    },
    finish: () => bar?.finish(),
  };
}
