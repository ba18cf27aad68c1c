/**
 * `grokdrive sim`: closed-loop driving in the synthetic world. The engine's plan drives the car;
 * every step is rendered from where the car really is. Writes one result log per scenario.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { progressBar } from '../progress-bar.js';

export const summary = 'closed-loop driving in seeded synthetic towns: route completion, collisions, clearance, jerk, driving score';

const USAGE = `usage: grokdrive sim [--scenarios 5] [--seed 1] [--seconds 20] [--driver engine|oracle] [--planner lattice|hybrid]
                    [--width 320 --height 240] [--out-dir grokdrive-sim | --no-log] [--json] [--jsonl FILE]

Scenario i uses seed S+i: a town, a route the car should cover in about T seconds, oncoming
traffic and pedestrians. The car (a kinematic bicycle) follows the engine's plan toward a goal
10 m + 1 s of driving ahead on the route; the camera is rendered from its actual pose at 10 fps.
--driver oracle follows the route blindly (control and scoring without perception).
--planner: lattice (default; lane-keeping candidates that stop short of obstacles) or hybrid
(the engine's default Hybrid A*).
Per scenario: route completion, collisions (and whether the ego was moving), minimum clearance,
peak jerk; overall a driving score in the style of the CARLA leaderboard (route completion x
collision penalties 0.5 pedestrian, 0.6 vehicle, 0.65 static). --jsonl appends each scenario's
result to FILE as it finishes.`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      scenarios: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '20' },
      driver: { type: 'string', default: 'engine' },
      planner: { type: 'string', default: 'lattice' },
      width: { type: 'string', default: '320' },
      height: { type: 'string', default: '240' },
      'out-dir': { type: 'string', default: 'grokdrive-sim' },
      'no-log': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      jsonl: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const count = int('--scenarios', values.scenarios, 1, 10000);
  const seed = int('--seed', values.seed, 0, 0xffffffff - count);
  const seconds = Number(values.seconds);
  if (!(seconds >= 2 && seconds <= 600)) throw new Error(`--seconds must be in [2, 600] (got '${values.seconds}')`);
  const width = int('--width', values.width, 64, 1920);
  const height = int('--height', values.height, 48, 1440);
  if (values.driver !== 'engine' && values.driver !== 'oracle') throw new Error(`--driver must be engine or oracle (got '${values.driver}')`);
  if (values.planner !== 'lattice' && values.planner !== 'hybrid') throw new Error(`--planner must be lattice or hybrid (got '${values.planner}')`);
  const outDir = values['no-log'] ? undefined : resolve(values['out-dir']!);
  if (outDir) mkdirSync(outDir, { recursive: true });

  const { runClosedLoop } = await import('../../engine/closed-loop/run-closed-loop.js');
  let bar: ReturnType<typeof progressBar> | undefined;
  const report = await runClosedLoop({
    seeds: Array.from({ length: count }, (_, i) => seed + i),
    seconds,
    width,
    height,
    driver: values.driver,
    planner: values.planner,
    logPath: outDir ? (s) => join(outDir, `sim-seed-${s}.mcap`) : undefined,
    onScenario: (r) => {
      if (values.jsonl) appendFileSync(values.jsonl, JSON.stringify(r) + '\n');
    },
    onProgress: (done, total, note) => {
      bar ??= progressBar('sim', total, 'steps');
      bar.update(done, note, total);
    },
  });
  bar?.update(report.steps, undefined, report.steps);
  bar?.finish();
  const s = report.summary;
  if (values.json) {
    console.log(JSON.stringify(report));
  } else {
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
    const lines = ['seed     outcome     route   collisions  clearance  peak jerk  off-road  score'];
    for (const r of report.scenarios) {
      lines.push(
        `${String(r.seed).padEnd(8)} ${r.outcome.padEnd(11)} ${pct(r.routeCompletion).padStart(6)}  ${String(r.collisions.length).padStart(10)}  ${r.minClearance.toFixed(2).padStart(7)} m  ${r.peakJerk.toFixed(1).padStart(5)} m/s3  ${r.offRoadSeconds.toFixed(1).padStart(6)} s  ${r.drivingScore.toFixed(3)}`,
      );
    }
    lines.push(
      '',
      `${s.scenarios} scenarios (${values.driver === 'engine' ? `engine driver, ${values.planner} planner` : 'oracle driver'}): driving score ${pct(s.drivingScore)}, route completion ${pct(s.routeCompletion)}, infraction penalty ${s.infractionPenalty.toFixed(3)}`,
      `completed ${s.completed}/${s.scenarios}; collisions ${s.collisions} (${s.egoAtFaultCollisions} with the ego moving); off-road events ${s.offRoadEvents}; min clearance ${s.minClearance.toFixed(2)} m; peak jerk ${s.peakJerk.toFixed(1)} m/s^3`,
      `${report.steps} steps in ${report.wallSeconds.toFixed(1)} s (${(report.steps / report.wallSeconds).toFixed(1)} steps/s)`,
    );
    if (s.failures.length) lines.push('', 'failures:', ...s.failures.map((f) => `  seed ${f.seed}: ${f.outcome} at ${pct(f.routeCompletion)} of the route: ${f.detail}`));
    if (outDir) lines.push('', `logs: ${outDir}/sim-seed-<seed>.mcap   open one with: grokdrive view ${join(outDir, `sim-seed-${seed}.mcap`)}`);
    console.log(lines.join('\n'));
  }
  return 0;
}

function int(name: string, text: string | undefined, lo: number, hi: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${name} must be an integer in [${lo}, ${hi}] (got '${text}')`);
  return v;
}
