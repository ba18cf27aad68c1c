/**
 * The Moving AI benchmark: solve every scenario of every map under a folder with grid A*,
 * compare each length with the scenario's optimal length, and time a sample of the same
 * problems with a peer (PathFinding.js) in the same run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GridAStar } from '../grid-astar.js';
import { GridGraph } from '../grid-graph.js';
import { parseMovingAiMap } from './map-file.js';
import { parseScenarios, type Scenario } from './scenario-file.js';
import type { Peer } from './pathfinding-peer.js';

export interface MovingAiOptions {
  /** Solve every n-th scenario of each file only (1 = all). */
  every?: number;
  /** Peer to time; none = no peer figures. */
  peer?: Peer;
  /** Problems per map the peer solves, spread evenly over the scenario file (0 = none). */
  peerPerMap?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Mismatch {
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
  peerMedianMs?: number;
}

export interface MovingAiReport {
  problems: number;
  mismatches: number;
  medianMs: number;
  p95Ms: number;
  peer: {
    name: string;
    medianMs: number;
    problems: number;
    /** Median of grid A* over the same problems the peer solved. */
    oursMedianMs: number;
    /** Problems where the peer's path length differs from the optimal one. */
    disagreements: number;
  } | null;
  /** Peer median / grid A* median over the same problems. */
  speedup: number | null;
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
  const peerPerMap = options.peer ? Math.max(0, options.peerPerMap ?? 50) : 0;
  const sets = await findScenarioSets(dir);
  const picked = sets.map((s) => s.scenarios.map((sc, line) => ({ sc, line })).filter((_, i) => i % every === 0));
  const total = picked.reduce((n, p) => n + p.length + Math.min(peerPerMap, p.length), 0);
  let done = 0;
  const allMs: number[] = [];
  const peerMs: number[] = [];
  const oursOnPeerMs: number[] = [];
  let peerDisagreements = 0;
  let mismatches = 0;
  const details: Mismatch[] = [];
  const maps: MapReport[] = [];

  for (let m = 0; m < sets.length; m++) {
    const set = sets[m];
    const map = parseMovingAiMap(await readFile(set.mapFile, 'utf8'), set.mapFile);
    const astar = new GridAStar(new GridGraph(map.width, map.height, map.blocked));
    const items = picked[m];
    const times = new Float64Array(items.length);
    let mapMismatches = 0;
    for (let k = 0; k < items.length; k++) {
      const { sc, line } = items[k];
      if (sc.width !== map.width || sc.height !== map.height) {
        throw new Error(`${set.scenFile}: scenario says ${sc.width}x${sc.height} but ${set.mapFile} is ${map.width}x${map.height}`);
      }
      const t0 = performance.now();
      const res = astar.search(sc.startX, sc.startY, sc.goalX, sc.goalY);
      times[k] = performance.now() - t0;
      if (!(Math.abs(res.length - sc.optimalLength) <= sc.tolerance)) {
        mapMismatches++;
        if (details.length < 20) {
          details.push({ map: set.mapFile, line: line + 2, start: [sc.startX, sc.startY], goal: [sc.goalX, sc.goalY], expected: sc.optimalLength, got: res.length });
        }
      }
      if ((++done & 63) === 0) options.onProgress?.(done, total);
    }
    mismatches += mapMismatches;
    for (const t of times) allMs.push(t);
    const report: MapReport = { map: set.mapFile, problems: items.length, mismatches: mapMismatches, medianMs: quantile(Array.from(times), 0.5) };

    if (options.peer && peerPerMap > 0 && items.length > 0) {
      const solve = options.peer.prepare(map.width, map.height, map.blocked);
      const count = Math.min(peerPerMap, items.length);
      const mine: number[] = [];
      for (let j = 0; j < count; j++) {
        const k = Math.floor(((j + 0.5) * items.length) / count); // evenly over the file: every bucket
        const { sc } = items[k];
        // Both solvers run back to back, twice each, keeping the faster run of each: the same
        // conditions for both on a shared machine.
        let ours = times[k];
        let theirs = Infinity;
        for (let rep = 0; rep < 2; rep++) {
          const t0 = performance.now();
          astar.search(sc.startX, sc.startY, sc.goalX, sc.goalY);
          ours = Math.min(ours, performance.now() - t0);
          const r = solve(sc.startX, sc.startY, sc.goalX, sc.goalY);
          if (rep === 0 && !(Math.abs(r.length - sc.optimalLength) <= sc.tolerance)) peerDisagreements++;
          theirs = Math.min(theirs, r.ms);
        }
        peerMs.push(theirs);
        mine.push(theirs);
        oursOnPeerMs.push(ours);
        options.onProgress?.(++done, total);
      }
      report.peerMedianMs = quantile(mine, 0.5);
    }
    maps.push(report);
    options.onProgress?.(done, total);
  }

  const oursOnPeer = quantile(oursOnPeerMs, 0.5);
  const peerMedian = quantile(peerMs, 0.5);
  return {
    problems: allMs.length,
    mismatches,
    medianMs: quantile(allMs, 0.5),
    p95Ms: quantile(allMs, 0.95),
    peer: options.peer && peerMs.length > 0
      ? { name: options.peer.name, medianMs: peerMedian, problems: peerMs.length, oursMedianMs: oursOnPeer, disagreements: peerDisagreements }
      : null,
    speedup: peerMs.length > 0 && oursOnPeer > 0 ? peerMedian / oursOnPeer : null,
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
