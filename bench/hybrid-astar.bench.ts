/**
 * Hybrid A* on 400x400 grids at 0.2 m from the Moving AI city maps and random obstacle fields,
 * seeded random start/goal poses. Goals: median <= 20 ms, p95 <= 100 ms, every solvable query
 * solved within the cap. The limit is the yardstick (no peer runs here).
 */
import { dataPath } from '../datasets/data-root.js';
import { runHybridBenchmark } from '../planners/index.js';

export async function run(): Promise<void> {
  const r = await runHybridBenchmark({ citiesDir: dataPath('movingai', 'cities'), queriesPerWorld: 6, seed: 1 });
  console.log(
    `${r.queries} queries: success ${(100 * r.successRate).toFixed(1)}%, ${(100 * r.successRateSolvable).toFixed(1)}% of the solvable (${r.unsolvable} proved unsolvable)`,
  );
  console.log(`wall ms median ${r.medianMs.toFixed(1)} (goal <= 20: ${(r.medianMs / 20).toFixed(2)}x the limit), p95 ${r.p95Ms.toFixed(1)} (goal <= 100: ${(r.p95Ms / 100).toFixed(2)}x)`);
  console.log(`CPU ms median ${r.medianCpuMs.toFixed(1)}, p95 ${r.p95CpuMs.toFixed(1)}; expansions median ${r.medianExpansions}`);
  console.log(`path length / grid-A* length: median ${r.lengthRatioMedian.toFixed(3)}, p95 ${r.lengthRatioP95.toFixed(3)}`);
}
