/**
 * `grokdrive bench <name> ...`: runs one named benchmark. Each entry of `benches` parses its
 * own arguments; add a benchmark by adding an entry.
 */
import { parseArgs } from 'node:util';
import { progressBar } from '../progress-bar.js';

export const summary = 'run a benchmark: movingai <dir> | hybrid (add --json for machine-readable figures)';

interface Bench {
  usage: string;
  run(args: string[]): Promise<number>;
}

const benches: Record<string, Bench> = {
  movingai: {
    usage: 'movingai <dir> [--json] [--every N] [--peer-per-map N]   jump point search and grid A* on every Moving AI scenario under <dir>, vs PathFinding.js',
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          every: { type: 'string', default: '1' },
          'peer-per-map': { type: 'string', default: '30' },
        },
      });
      const dir = positionals[0];
      if (!dir) throw new Error('bench movingai: give the folder with the .map and .map.scen files');
      const every = positiveInt('--every', values.every);
      const peerPerMap = positiveInt('--peer-per-map', values['peer-per-map'], true);
      const { runMovingAiBenchmark, loadPathfindingPeer } = await import('../../planners/index.js');
      const peer = peerPerMap > 0 ? await loadPathfindingPeer('astar') : undefined;
      const jpsPeer = peerPerMap > 0 ? await loadPathfindingPeer('jps') : undefined;
      let bar: ReturnType<typeof progressBar> | undefined;
      const report = await runMovingAiBenchmark(dir, {
        every,
        peer,
        jpsPeer,
        peerPerMap,
        onProgress(done, total) {
          bar ??= progressBar('movingai', total, 'problems');
          bar.update(done);
        },
      });
      bar?.finish();
      if (values.json) {
        const { solver, problems, mismatches, medianMs, p95Ms, peer: p, speedup, jpsPeer: jp, astar, maps, mismatchDetails } = report;
        console.log(JSON.stringify({ solver, problems, mismatches, medianMs, p95Ms, peer: p, speedup, jpsPeer: jp, astar, maps, mismatchDetails }, null, 2));
      } else {
        for (const m of report.maps) {
          const peerText = m.peerMedianMs !== undefined ? `  peer median ${m.peerMedianMs.toFixed(3)} ms` : '';
          console.log(`${m.map}: ${m.problems} problems, ${m.mismatches} mismatches, median ${m.medianMs.toFixed(3)} ms${peerText}`);
        }
        for (const d of report.mismatchDetails) {
          console.log(`MISMATCH (${d.solver}) ${d.map} line ${d.line} (${d.start}) -> (${d.goal}): expected ${d.expected}, got ${d.got}`);
        }
        const a = report.astar;
        console.log(`problems ${report.problems}, mismatches ${report.mismatches}, median ${report.medianMs.toFixed(3)} ms, p95 ${report.p95Ms.toFixed(3)} ms (${report.solver})`);
        console.log(`grid A*: mismatches ${a.mismatches}, median ${a.medianMs.toFixed(3)} ms, p95 ${a.p95Ms.toFixed(3)} ms`);
        for (const [p, x, label] of [[report.peer, report.speedup, 'peer'], [report.jpsPeer, report.jpsPeer?.speedup, 'second peer']] as const) {
          if (!p) continue;
          console.log(
            `${label} ${p.name}: median ${p.medianMs.toFixed(3)} ms vs ${report.solver} ${p.oursMedianMs.toFixed(3)} ms ` +
              `on the same ${p.problems} problems: speedup ${x?.toFixed(1)}x (peer wrong lengths: ${p.disagreements})`,
          );
        }
        if (report.peer && a.onPeerProblemsMedianMs !== null) {
          console.log(`grid A* on those problems: median ${a.onPeerProblemsMedianMs.toFixed(3)} ms, ${a.speedup?.toFixed(1)}x faster than ${report.peer.name}`);
        }
      }
      return report.mismatches === 0 && report.astar.mismatches === 0 ? 0 : 1;
    },
  },
  hybrid: {
    usage: 'hybrid [--json] [--cities <dir>] [--queries N] [--seed N]   Hybrid A* on 400x400 grids (0.2 m) from city maps and random fields',
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          json: { type: 'boolean', default: false },
          cities: { type: 'string' },
          queries: { type: 'string', default: '10' },
          seed: { type: 'string', default: '1' },
        },
      });
      const { runHybridBenchmark } = await import('../../planners/index.js');
      const { dataPath } = await import('../../datasets/data-root.js');
      let bar: ReturnType<typeof progressBar> | undefined;
      const report = await runHybridBenchmark({
        citiesDir: values.cities ?? dataPath('movingai', 'cities'),
        queriesPerWorld: positiveInt('--queries', values.queries),
        seed: positiveInt('--seed', values.seed),
        onProgress(done, total) {
          bar ??= progressBar('hybrid', total, 'queries');
          bar.update(done);
        },
      });
      bar?.finish();
      const { results, ...summary } = report;
      if (values.json) console.log(JSON.stringify(summary, null, 2));
      else printHybrid(summary);
      return 0;
    },
  },
};

function printHybrid(r: Omit<import('../../planners/index.js').HybridBenchReport, 'results'>): void {
  console.log(
    `queries ${r.queries}: success ${(100 * r.successRate).toFixed(1)}% ` +
      `(${(100 * r.successRateSolvable).toFixed(1)}% of the ${r.queries - r.unsolvable} solvable; ${r.unsolvable} proved unsolvable)`,
  );
  console.log(`wall ms: median ${r.medianMs.toFixed(1)}, p95 ${r.p95Ms.toFixed(1)}, max ${r.maxMs.toFixed(1)}; CPU ms: median ${r.medianCpuMs.toFixed(1)}, p95 ${r.p95CpuMs.toFixed(1)}`);
  console.log(`expansions median ${r.medianExpansions}; path length / grid-A* length: median ${r.lengthRatioMedian.toFixed(3)}, p95 ${r.lengthRatioP95.toFixed(3)}`);
  for (const f of r.failures) {
    console.log(`  ${f.world} ${f.status} (long run: ${f.longRunStatus}) ${f.ms.toFixed(0)} ms: ${f.reason ?? ''}`);
  }
}

function positiveInt(name: string, text: string | undefined, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer, got '${text}'`);
  return n;
}

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h') {
    console.log(['usage: grokdrive bench <name> [options]', '', ...Object.values(benches).map((b) => '  ' + b.usage)].join('\n'));
    return name ? 0 : 1;
  }
  const bench = benches[name];
  if (!bench) {
    console.error(`grokdrive bench: unknown benchmark '${name}'. Benchmarks: ${Object.keys(benches).join(', ')}`);
    return 2;
  }
  return bench.run(rest);
}
