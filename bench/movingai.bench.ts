/**
 * Jump point search and grid A* on the Moving AI benchmark against PathFinding.js (AStarFinder,
 * the peer, and JumpPointFinder), in one run: every 10th scenario of every map (the full
 * set: `grokdrive bench movingai <dir>`), the peers on 20 problems per map spread over the
 * scenario files.
 */
import { dataPath } from '../datasets/data-root.js';
import { loadPathfindingPeer, runMovingAiBenchmark } from '../planners/index.js';

export async function run(): Promise<void> {
  const dir = dataPath('movingai');
  const report = await runMovingAiBenchmark(dir, {
    every: 10,
    peer: await loadPathfindingPeer('astar'),
    jpsPeer: await loadPathfindingPeer('jps'),
    peerPerMap: 20,
  });
  for (const m of report.maps) {
    console.log(
      `  ${m.map.slice(dir.length + 1).padEnd(34)} ${String(m.problems).padStart(5)} problems  ${m.mismatches}/${m.astarMismatches} mismatches  ` +
        `median JPS ${m.medianMs.toFixed(3)} ms, A* ${m.astarMedianMs.toFixed(3)} ms  peers A* ${m.peerMedianMs?.toFixed(3)} ms, JPS ${m.jpsPeerMedianMs?.toFixed(3)} ms`,
    );
  }
  const a = report.astar;
  console.log(`${report.solver}: ${report.problems} problems, ${report.mismatches} mismatches against the optimal lengths, median ${report.medianMs.toFixed(3)} ms, p95 ${report.p95Ms.toFixed(3)} ms`);
  console.log(`grid A*: ${a.mismatches} mismatches, median ${a.medianMs.toFixed(3)} ms, p95 ${a.p95Ms.toFixed(3)} ms`);
  if (report.peer) {
    console.log(
      `${report.peer.name}: median ${report.peer.medianMs.toFixed(3)} ms vs ${report.solver} ${report.peer.oursMedianMs.toFixed(3)} ms on the same ${report.peer.problems} problems ` +
        `-> ${report.speedup?.toFixed(2)}x faster (goal >= 5x); grid A* ${a.onPeerProblemsMedianMs?.toFixed(3)} ms -> ${a.speedup?.toFixed(2)}x; peer wrong lengths: ${report.peer.disagreements}`,
    );
  }
  if (report.jpsPeer) {
    console.log(
      `${report.jpsPeer.name}: median ${report.jpsPeer.medianMs.toFixed(3)} ms on the same problems -> ${report.solver} ${report.jpsPeer.speedup.toFixed(2)}x faster; peer wrong lengths: ${report.jpsPeer.disagreements}`,
    );
  }
}
