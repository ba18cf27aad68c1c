/**
 * Grid A* on the Moving AI benchmark against PathFinding.js, in one run: every 10th scenario of
 * every map (the full set: `grokdrive bench movingai <dir>`), the peer on 20 problems per map
 * spread over the scenario files.
 */
import { dataPath } from '../datasets/data-root.js';
import { loadPathfindingPeer, runMovingAiBenchmark } from '../planners/index.js';

export async function run(): Promise<void> {
  const dir = dataPath('movingai');
  const report = await runMovingAiBenchmark(dir, { every: 10, peer: await loadPathfindingPeer(), peerPerMap: 20 });
  for (const m of report.maps) {
    console.log(`  ${m.map.slice(dir.length + 1).padEnd(34)} ${String(m.problems).padStart(5)} problems  ${m.mismatches} mismatches  median ${m.medianMs.toFixed(3)} ms  peer ${m.peerMedianMs?.toFixed(3)} ms`);
  }
  console.log(`grid A*: ${report.problems} problems, ${report.mismatches} mismatches against the optimal lengths, median ${report.medianMs.toFixed(3)} ms, p95 ${report.p95Ms.toFixed(3)} ms`);
  if (report.peer) {
    console.log(
      `${report.peer.name}: median ${report.peer.medianMs.toFixed(3)} ms vs grid A* ${report.peer.oursMedianMs.toFixed(3)} ms on the same ${report.peer.problems} problems ` +
        `-> grid A* ${report.speedup?.toFixed(2)}x faster (goal >= 5x); peer wrong lengths: ${report.peer.disagreements}`,
    );
  }
}
