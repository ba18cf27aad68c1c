/**
 * The Moving AI benchmark: solve every scenario of every map under a folder with jump point
 * search (the grid search for uniform grids) and with grid A*, compare each length with the
 * scenario's optimal length, and time a sample of the same problems with the peers
 * (PathFinding.js AStarFinder and JumpPointFinder) in the same run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GridAStar } from '../grid-astar.js';
import { GridGraph } from '../grid-graph.js';
import { GridJps } from '../grid-jps.js';
import { parseMovingAiMap } from './map-file.js';
import { parseScenarios, type Scenario } from './scenario-file.js';
import type { Peer } from './pathfinding-peer.js';

export interface MovingAiOptions {
  /** Solve every n-th scenario of each file only (1 = all). */
  every?: number;
  /** Peer to time (PathFinding.js AStarFinder); none = no peer figures. */
  peer?: Peer;
  /** Second peer, timed on the same problems (PathFinding.js JumpPointFinder). */
  jpsPeer?: Peer;
  /** Problems per map the peers solve, spread evenly over the scenario file (0 = none). */
  peerPerMap?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Mismatch {
  solver: 'jps' | 'astar';
  map: string;
  line: number;
  start: [number, number];
  goal: [number, number];
  expected: number;
  got: number;
}

export interface MapReport {
  map: string;
  problems: number;
  mismatches: number;
  medianMs: number;
  astarMismatches: number;
  astarMedianMs: number;
  peerMedianMs?: number;
  jpsPeerMedianMs?: number;
}

export interface PeerReport {
  name: string;
  medianMs: number;
  problems: number;
  /** Median of jump point search over the same problems the peer solved. */
  oursMedianMs: number;
  /** Problems where the peer's path length differs from the optimal one. */
  disagreements: number;
}

export interface MovingAiReport {
  /** The search these top-level figures are for. */
  solver: string;
  problems: number;
  /** Jump point search lengths off the optimal ones. */
  mismatches: number;
  medianMs: number;
  p95Ms: number;
  /** PathFinding.js AStarFinder, the peer. */
  peer: PeerReport | null;
  /** Peer median / jump point search median over the same problems. */
  speedup: number | null;
  /** PathFinding.js JumpPointFinder on the same problems (the like-for-like algorithm). */
  jpsPeer: (PeerReport & { speedup: number }) | null;
  /** Grid A* (no symmetry breaking) on the same problems, for comparison. */
  astar: {
    mismatches: number;
    medianMs: number;
    p95Ms: number;
    /** Median over the problems the peers solved. */
    onPeerProblemsMedianMs: number | null;
    /** PathFinding.js AStarFinder median / grid A* median over those problems. */
    speedup: number | null;
  };
  maps: MapReport[];
  /** The first mismatches in full, for diagnosis. */
  mismatchDetails: Mismatch[];
}

interface ScenarioSet {
  scenFile: string;
  mapFile: string;
  scenarios: Scenario[];
}

/** Finds `<name>.map.scen` files under dir and pairs each with `<name>.map` found anywhere under dir. */
export async function findScenarioSets(dir: string): Promise<ScenarioSet[]> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const ent of await readdir(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else files.push(p);
    }
  };
  await walk(dir);
  files.sort();
  const maps = new Map<string, string>();
  for (const f of files) if (f.endsWith('.map')) maps.set(basename(f), f);
  const sets: ScenarioSet[] = [];
  for (const scenFile of files.filter((f) => f.endsWith('.map.scen'))) {
    const scenarios = parseScenarios(await readFile(scenFile, 'utf8'), scenFile);
    if (scenarios.length === 0) continue;
    const names = new Set(scenarios.map((s) => basename(s.map.replace(/\\/g, '/'))));
    if (names.size !== 1) throw new Error(`${scenFile}: scenarios name several maps (${[...names].join(', ')}); expected one`);
    const name = [...names][0];
    const mapFile = maps.get(name);
    if (!mapFile) throw new Error(`${scenFile}: map '${name}' not found under ${dir}`);
    sets.push({ scenFile, mapFile, scenarios });
  }
  if (sets.length === 0) throw new Error(`${dir}: no .map.scen files found`);
  return sets;
}

export async function runMovingAiBenchmark(dir: string, options: MovingAiOptions = {}): Promise<MovingAiReport> {
  const every = Math.max(1, options.every ?? 1);
  const peers = [options.peer, options.jpsPeer].filter((p): p is Peer => p !== undefined);
  const peerPerMap = peers.length > 0 ? Math.max(0, options.peerPerMap ?? 50) : 0;
  const sets = await findScenarioSets(dir);
  const picked = sets.map((s) => s.scenarios.map((sc, line) => ({ sc, line })).filter((_, i) => i % every === 0));
  const total = picked.reduce((n, p) => n + p.length + Math.min(peerPerMap, p.length), 0);
  let done = 0;
  const allMs: number[] = [];
  const astarMs: number[] = [];
  // Over the problems the peers solve: ours (jps), grid A*, and each peer.
  const shared = { jps: [] as number[], astar: [] as number[], peer: [] as number[], jpsPeer: [] as number[] };
  const disagreements = { peer: 0, jpsPeer: 0 };
  let mismatches = 0;
  let astarMismatches = 0;
  const details: Mismatch[] = [];
  const maps: MapReport[] = [];

  for (let m = 0; m < sets.length; m++) {
    const set = sets[m];
    const map = parseMovingAiMap(await readFile(set.mapFile, 'utf8'), set.mapFile);
    const graph = new GridGraph(map.width, map.height, map.blocked);
    const jps = new GridJps(graph);
    const astar = new GridAStar(graph);
    const items = picked[m];
    const times = new Float64Array(items.length);
    const atimes = new Float64Array(items.length);
    let mapMismatches = 0;
    let mapAstarMismatches = 0;
    const check = (solver: Mismatch['solver'], sc: Scenario, line: number, got: number): boolean => {
      if (Math.abs(got - sc.optimalLength) <= sc.tolerance) return true;
      if (details.length < 20) {
        details.push({ solver, map: set.mapFile, line: line + 2, start: [sc.startX, sc.startY], goal: [sc.goalX, sc.goalY], expected: sc.optimalLength, got });
      }
      return false;
    };
    for (let k = 0; k < items.length; k++) {
      const { sc, line } = items[k];
      if (sc.width !== map.width || sc.height !== map.height) {
        throw new Error(`${set.scenFile}: scenario says ${sc.width}x${sc.height} but ${set.mapFile} is ${map.width}x${map.height}`);
      }
      let t0 = performance.now();
      const res = jps.search(sc.startX, sc.startY, sc.goalX, sc.goalY);
      times[k] = performance.now() - t0;
      t0 = performance.now();
      const ares = astar.search(sc.startX, sc.startY, sc.goalX, sc.goalY);
      atimes[k] = performance.now() - t0;
      if (!check('jps', sc, line, res.length)) mapMismatches++;
      if (!check('astar', sc, line, ares.length)) mapAstarMismatches++;
      if ((++done & 63) === 0) options.onProgress?.(done, total);
    }
    mismatches += mapMismatches;
    astarMismatches += mapAstarMismatches;
    for (const t of times) allMs.push(t);
    for (const t of atimes) astarMs.push(t);
    const report: MapReport = {
      map: set.mapFile,
      problems: items.length,
      mismatches: mapMismatches,
      medianMs: quantile(times, 0.5),
      astarMismatches: mapAstarMismatches,
      astarMedianMs: quantile(atimes, 0.5),
    };

    if (peers.length > 0 && peerPerMap > 0 && items.length > 0) {
      const solvePeer = options.peer?.prepare(map.width, map.height, map.blocked);
      const solveJpsPeer = options.jpsPeer?.prepare(map.width, map.height, map.blocked);
      const count = Math.min(peerPerMap, items.length);
      const mapPeer: number[] = [];
      const mapJpsPeer: number[] = [];
      for (let j = 0; j < count; j++) {
        const k = Math.floor(((j + 0.5) * items.length) / count); // evenly over the file: every bucket
        const { sc } = items[k];
        // All solvers run back to back, twice each, keeping the faster run of each: the same
        // conditions for all on a shared machine.
        let ours = times[k];
        let mineA = atimes[k];
        let theirs = Infinity;
        let theirsJps = Infinity;
        for (let rep = 0; rep < 2; rep++) {
          let t0 = performance.now();
          jps.search(sc.startX, sc.startY, sc.goalX, sc.goalY);
          ours = Math.min(ours, performance.now() - t0);
          t0 = performance.now();
          astar.search(sc.startX, sc.startY, sc.goalX, sc.goalY);
          mineA = Math.min(mineA, performance.now() - t0);
          if (solvePeer) {
            const r = solvePeer(sc.startX, sc.startY, sc.goalX, sc.goalY);
            if (rep === 0 && !(Math.abs(r.length - sc.optimalLength) <= sc.tolerance)) disagreements.peer++;
            theirs = Math.min(theirs, r.ms);
          }
          if (solveJpsPeer) {
            const r = solveJpsPeer(sc.startX, sc.startY, sc.goalX, sc.goalY);
            if (rep === 0 && !(Math.abs(r.length - sc.optimalLength) <= sc.tolerance)) disagreements.jpsPeer++;
            theirsJps = Math.min(theirsJps, r.ms);
          }
        }
        shared.jps.push(ours);
        shared.astar.push(mineA);
        if (solvePeer) {
          shared.peer.push(theirs);
          mapPeer.push(theirs);
        }
        if (solveJpsPeer) {
          shared.jpsPeer.push(theirsJps);
          mapJpsPeer.push(theirsJps);
        }
        done++;
        options.onProgress?.(done, total);
      }
      if (solvePeer) report.peerMedianMs = quantile(mapPeer, 0.5);
      if (solveJpsPeer) report.jpsPeerMedianMs = quantile(mapJpsPeer, 0.5);
    }
    maps.push(report);
    options.onProgress?.(done, total);
  }

  const oursShared = quantile(shared.jps, 0.5);
  const astarShared = quantile(shared.astar, 0.5);
  const peerReport = (peer: Peer | undefined, ms: number[], wrong: number): PeerReport | null =>
    peer && ms.length > 0 ? { name: peer.name, medianMs: quantile(ms, 0.5), problems: ms.length, oursMedianMs: oursShared, disagreements: wrong } : null;
  const peer = peerReport(options.peer, shared.peer, disagreements.peer);
  const jpsPeer = peerReport(options.jpsPeer, shared.jpsPeer, disagreements.jpsPeer);
  return {
    solver: 'jump point search',
    problems: allMs.length,
    mismatches,
    medianMs: quantile(allMs, 0.5),
    p95Ms: quantile(allMs, 0.95),
    peer,
    speedup: peer && oursShared > 0 ? peer.medianMs / oursShared : null,
    jpsPeer: jpsPeer && oursShared > 0 ? { ...jpsPeer, speedup: jpsPeer.medianMs / oursShared } : null,
    astar: {
      mismatches: astarMismatches,
      medianMs: quantile(astarMs, 0.5),
      p95Ms: quantile(astarMs, 0.95),
      onPeerProblemsMedianMs: shared.astar.length > 0 ? astarShared : null,
      speedup: peer && astarShared > 0 ? peer.medianMs / astarShared : null,
    },
    maps,
    mismatchDetails: details,
  };
}

/** Nearest-rank quantile (NaN for no values). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}
