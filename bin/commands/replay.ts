/** `grokdrive replay`: runs a recorded drive through the engine and records every stage's output. */
import { parseArgs } from 'node:util';
import { replayDrive, type ReplaySummary } from '../../engine/replay/replay-drive.js';
import { progressBar } from '../progress-bar.js';
import { defaultPlanner } from '../../engine/planning/default-planner.js';
import { occupancyOptionsFromArgs } from '../../engine/occupancy/occupancy-args.js';

export const summary = 'run a recorded drive (.mcap) through the engine and write a result log';

const usage = `usage: grokdrive replay <drive.mcap> -o <result.mcap> [options]

  -o, --out <file>       result log (inputs + segmentation, grid, plan, timings, diagnostics)
  --mode <m>             replay (default: every frame, in order, as fast as possible) or
                         realtime (frames arrive at the log's pace; stale ones are dropped)
  --model <manifest>     segmentation model manifest (default: the committed model)
  --camera <id>          camera to replay (default: the first in the log)
  --stereo <id|auto>     the log's camera that is the rectified right half of a stereo
                         pair with --camera (KITTI: image_03; auto: the one the log has,
                         if any): the walk then looks past obstacle pixels that stereo
                         shows flat like the road (slower)
  --lookahead <s>        planning goal = ego pose this many seconds later (default 3)
  --role <Class=role>    override a class's role for free space (drivable, obstacle,
                         ground, ignore), e.g. --role Pavement=ground; repeatable
  --obstacle-depth <m>   half a hit for the ground up to this far behind each obstacle's
                         contact (its body; default 0: the contact's pixel interval only)
  --no-plan              skip planning
  --json                 print the summary as JSON on stdout`;

function printSummary(s: ReplaySummary): void {
  const f = s.frames;
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
  const lines = [
    `${s.input} -> ${s.output} (${s.mode} mode, camera ${s.camera}${s.stereoRight ? ` with ${s.stereoRight} as its stereo pair` : ''})`,
    `frames: ${f.total} total, ${f.processed} processed, ${f.dropped} dropped, ${f.failed} failed`,
    ...s.problems.flatMap((p) => [
      `  ${p.count} ${p.status} in ${p.stage}, e.g.`,
      ...p.examples.slice(0, 3).map((e) => `    frame ${e.index}: ${e.reason}`),
    ]),
    ...(s.stereoAvailable ? [`stereo: not used; ${s.stereoAvailable.join(', ')} ${s.stereoAvailable.length > 1 ? 'are rectified right cameras' : 'is the rectified right camera'} of ${s.camera}: --stereo ${s.stereoAvailable[0]} (or --stereo auto) lets the walk past obstacle pixels that are flat in stereo (better occupancy, slower)`] : []),
    ...(s.stereoPairs ? [`stereo: ${s.stereoPairs.checked} frames checked with their ${s.stereoRight} image${s.stereoPairs.missing ? `, ${s.stereoPairs.missing} without one (no ${s.stereoRight} image at the same time, or it could not be decoded)` : ''}`] : []),
    ...(s.skippedScans.count > 0 ? [`lidar: ${s.skippedScans.count} scans skipped (not in the result), e.g. ${s.skippedScans.examples[0]}`] : []),
    `throughput: ${s.framesPerSecond.toFixed(1)} frames/s, ${s.realTimeFactor.toFixed(2)}x real time (${s.driveSeconds.toFixed(1)} s of drive in ${s.wallSeconds.toFixed(1)} s, after ${s.setupSeconds.toFixed(1)} s of setup: model, first frame)`,
    '',
    'stage                 p50 ms    p95 ms',
    ...Object.entries(s.stages).map(([name, st]) => `${name.padEnd(20)}${ms(st.p50Ms).padStart(8)}${ms(st.p95Ms).padStart(10)}`),
  ];
  const o = s.openLoop;
  if (o.plans > 0) {
    lines.push(
      '',
      `planning: ${o.plansOk}/${o.plans} plans ok; vs the driven path over ${o.horizonS} s (${o.scored} plans): ADE ${ms(o.ade)} m, FDE ${ms(o.fde)} m; mean distance of plan points from the driven path ${ms(o.pathDeviation)} m`,
      `  plans crossing lidar-occupied cells: ${o.plansCrossingOccupied} of ${o.lidarFramesChecked} checked against lidar`,
      ...(o.lidarChecksFailed.count > 0 ? [`  ${o.lidarChecksFailed.count} plans could not be checked, e.g. ${o.lidarChecksFailed.examples[0]}`] : []),
    );
  }
  console.log(lines.join('\n'));
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      mode: { type: 'string', default: 'replay' },
      model: { type: 'string' },
      camera: { type: 'string' },
      stereo: { type: 'string' },
      lookahead: { type: 'string', default: '3' },
      'no-plan': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      role: { type: 'string', multiple: true },
      'obstacle-depth': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1 || !values.out) {
    console.error(`grokdrive replay: need one input drive and -o <result.mcap>\n${usage}`);
    return 2;
  }
  if (values.mode !== 'replay' && values.mode !== 'realtime') {
    console.error(`grokdrive replay: --mode must be replay or realtime, got '${values.mode}'`);
    return 2;
  }
  const lookahead = Number(values.lookahead);
  if (!(lookahead > 0)) {
    console.error(`grokdrive replay: --lookahead must be a positive number of seconds, got '${values.lookahead}'`);
    return 2;
  }
  let bar: ReturnType<typeof progressBar> | undefined;
  const summary = await replayDrive(positionals[0], values.out, {
    mode: values.mode,
    model: values.model,
    cameraId: values.camera,
    stereoRight: values.stereo,
    lookaheadS: lookahead,
    engine: { occupancy: occupancyOptionsFromArgs(values.role, values['obstacle-depth']) },
    planner: values['no-plan'] ? undefined : defaultPlanner(),
    onProgress: (done, total) => {
      bar ??= progressBar('replay', total);
      bar.update(done);
    },
  });
  bar?.finish();
  if (values.json) console.log(JSON.stringify(summary));
  else printSummary(summary);
  return summary.frames.processed > 0 || summary.frames.total === 0 ? 0 : 1;
}
