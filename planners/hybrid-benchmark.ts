/**
 * The Hybrid A* benchmark: 400 x 400 grids at 0.2 m (80 m square) built from the Moving AI
 * city maps (200 x 200 crops, each map cell 2 x 2 grid cells) and from random obstacle fields,
 * with random collision-free start and goal poses from a fixed seed. Reports the success rate,
 * planning times and the path length over the grid-A* length of the same query.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pose2 } from '../types/geometry.js';
import type { OccupancyGrid, PlanStatus } from '../types/messages.js';
import { buildCostmap } from './costmap.js';
import { DEFAULT_VEHICLE, Footprint } from './footprint.js';
import { GridAStar } from './grid-astar.js';
import { GridGraph } from './grid-graph.js';
import { parseMovingAiMap } from './movingai/map-file.js';
import { quantile } from './movingai/benchmark.js';
import { planPath, type PlanPathOptions } from './plan-path.js';
import { seededRandom } from '../types/random.js';

export interface HybridBenchOptions {
  /** Folder with the Moving AI city maps (Berlin_0_512.map ...). */
  citiesDir: string;
  seed?: number;
  /** Crops per city map (default 3). */
  cropsPerCity?: number;
  /** Random obstacle fields (default 6). */
  randomWorlds?: number;
  queriesPerWorld?: number;
  planner?: PlanPathOptions;
  onProgress?: (done: number, total: number) => void;
}

export interface HybridBenchQuery {
  world: string;
  start: Pose2;
  goal: Pose2;
  status: PlanStatus;
  ms: number;
  /** CPU time of the process during the query (robust to other load on the machine). */
  cpuMs: number;
  /** For a failure: the status with a 5 s / 1M expansion cap (no_path = proved unsolvable). */
  longRunStatus?: PlanStatus;
  expansions: number;
  length: number;
  /** Length of the grid-A* path between the same cells (the obstacle heuristic's grid). */
  gridLength: number;
  reason?: string;
}

export interface HybridBenchReport {
  queries: number;
  successRate: number;
  /** Queries the long run proves unsolvable for the car (the 2D grid connects them, the car cannot). */
  unsolvable: number;
  /** Successes over the queries that are solvable (ok, or solved by the long run). */
  successRateSolvable: number;
  medianMs: number;
  p95Ms: number;
  medianCpuMs: number;
  p95CpuMs: number;
  maxMs: number;
  medianExpansions: number;
  /** Path length / grid-A* length, over the successful queries. */
  lengthRatioMedian: number;
  lengthRatioP95: number;
  failures: HybridBenchQuery[];
  results: HybridBenchQuery[];
}

const RES = 0.2;
const SIZE = 400;

function gridFrom(logOdds: Float32Array): OccupancyGrid {
  return { timeNs: 0n, frameId: 'world', origin: { x: 0, y: 0, yaw: 0 }, resolution: RES, width: SIZE, height: SIZE, logOdds };
}

export async function benchWorlds(options: HybridBenchOptions): Promise<{ name: string; grid: OccupancyGrid }[]> {
  const rnd = seededRandom(options.seed ?? 1);
  const worlds: { name: string; grid: OccupancyGrid }[] = [];
  for (const city of ['Berlin_0_512', 'Boston_0_512', 'Paris_0_512']) {
    const file = join(options.citiesDir, city + '.map');
    const map = parseMovingAiMap(await readFile(file, 'utf8'), file);
    const crop = SIZE / 2;
    for (let c = 0; c < (options.cropsPerCity ?? 3); c++) {
      const ox = Math.floor(rnd() * (map.width - crop));
      const oy = Math.floor(rnd() * (map.height - crop));
      const lo = new Float32Array(SIZE * SIZE);
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          // Map rows run top-down; grid rows run along +y: flip so the picture is not mirrored.
          const my = oy + crop - 1 - (y >> 1);
          lo[y * SIZE + x] = map.blocked[my * map.width + ox + (x >> 1)] ? 3 : -3;
        }
      }
      worlds.push({ name: `${city}@${ox},${oy}`, grid: gridFrom(lo) });
    }
  }
  for (let w = 0; w < (options.randomWorlds ?? 6); w++) {
    const lo = new Float32Array(SIZE * SIZE).fill(-3);
    const boxes = 25 + Math.floor(rnd() * 40);
    for (let k = 0; k < boxes; k++) {
      // Boxes and discs of 1-6 m.
      const cx = rnd() * SIZE;
      const cy = rnd() * SIZE;
      const a = 5 + rnd() * 25;
      const b = 5 + rnd() * 25;
      const disc = rnd() < 0.4;
      for (let y = Math.max(0, Math.floor(cy - b)); y < Math.min(SIZE, cy + b); y++) {
        for (let x = Math.max(0, Math.floor(cx - a)); x < Math.min(SIZE, cx + a); x++) {
          const inside = disc ? (x - cx) ** 2 + (y - cy) ** 2 <= a * a : Math.abs(x - cx) <= a / 2 && Math.abs(y - cy) <= b / 2;
          if (inside) lo[y * SIZE + x] = 3;
        }
      }
    }
    worlds.push({ name: `random-${w}`, grid: gridFrom(lo) });
  }
  return worlds;
}

export async function runHybridBenchmark(options: HybridBenchOptions): Promise<HybridBenchReport> {
  const worlds = await benchWorlds(options);
  const rnd = seededRandom((options.seed ?? 1) * 7919 + 1);
  const perWorld = options.queriesPerWorld ?? 10;
  const fp = new Footprint(options.planner?.vehicle ?? DEFAULT_VEHICLE, options.planner?.footprintMargin ?? 0.1);
  // Centre-line clearance a drivable cell needs, as in the planner's obstacle heuristic.
  const need = Math.max(0, fp.centreClearance - Math.SQRT2 * RES);
  const results: HybridBenchQuery[] = [];
  const total = worlds.length * perWorld;
  // Warm-up so the timings measure compiled code, not the JIT's first passes.
  {
    const w = worlds[worlds.length - 1].grid;
    for (let i = 0; i < 3; i++) planPath(w, { x: 10, y: 10, yaw: 0 }, { x: 60, y: 60, yaw: 1 }, options.planner);
    // And the fine and coarse lattices taken in turns (what hard queries run into).
    for (let i = 0; i < 3; i++) planPath(w, { x: 10, y: 10, yaw: 0 }, { x: 60, y: 60, yaw: 1 }, { ...options.planner, coarseAfter: 1 });
  }
  for (const world of worlds) {
    const costmap = buildCostmap(world.grid, options.planner?.costmap);
    const drivable = new Uint8Array(SIZE * SIZE);
    for (let i = 0; i < drivable.length; i++) drivable[i] = costmap.clearance[i] >= need ? 0 : 1;
    const astar = new GridAStar(new GridGraph(SIZE, SIZE, drivable));
    const randomPose = (): Pose2 => {
      for (;;) {
        const p = { x: rnd() * SIZE * RES, y: rnd() * SIZE * RES, yaw: (rnd() * 2 - 1) * Math.PI };
        if (!fp.collides(costmap, p.x, p.y, p.yaw)) return p;
      }
    };
    let made = 0;
    let attempts = 0;
    while (made < perWorld && attempts++ < perWorld * 50) {
      const start = randomPose();
      const goal = randomPose();
      if (Math.hypot(goal.x - start.x, goal.y - start.y) < 10) continue;
      // Between the car centres, as the planner's heuristic sees it.
      const co = fp.centreOffset;
      const sx = Math.floor((start.x + co * Math.cos(start.yaw)) / RES);
      const sy = Math.floor((start.y + co * Math.sin(start.yaw)) / RES);
      const gx = Math.floor((goal.x + co * Math.cos(goal.yaw)) / RES);
      const gy = Math.floor((goal.y + co * Math.sin(goal.yaw)) / RES);
      if (drivable[sy * SIZE + sx] || drivable[gy * SIZE + gx]) continue;
      const ref = astar.search(sx, sy, gx, gy);
      if (ref.status !== 'ok') continue; // keep solvable queries only
      const cpu0 = process.cpuUsage();
      const plan = planPath(world.grid, start, goal, options.planner);
      const cpu = process.cpuUsage(cpu0);
      let longRunStatus: PlanStatus | undefined;
      if (plan.status !== 'ok') {
        longRunStatus = planPath(world.grid, start, goal, { ...options.planner, timeLimitMs: 5_000, maxExpansions: 1_000_000 }).status;
      }
      let length = 0;
      for (let i = 1; i < plan.poses.length; i++) length += Math.hypot(plan.poses[i].x - plan.poses[i - 1].x, plan.poses[i].y - plan.poses[i - 1].y);
      results.push({
        world: world.name, start, goal, status: plan.status, ms: plan.planningMs, cpuMs: (cpu.user + cpu.system) / 1000, longRunStatus,
        expansions: plan.expansions ?? 0,
        length, gridLength: ref.length * RES, reason: plan.reason,
      });
      made++;
      options.onProgress?.(results.length, total);
    }
  }
  const ok = results.filter((r) => r.status === 'ok');
  const ratios = ok.map((r) => r.length / r.gridLength);
  const ms = results.map((r) => r.ms);
  const cpu = results.map((r) => r.cpuMs);
  const unsolvable = results.filter((r) => r.longRunStatus === 'no_path').length;
  return {
    queries: results.length,
    successRate: results.length ? ok.length / results.length : NaN,
    unsolvable,
    successRateSolvable: results.length - unsolvable > 0 ? ok.length / (results.length - unsolvable) : NaN,
    medianMs: quantile(ms, 0.5),
    p95Ms: quantile(ms, 0.95),
    medianCpuMs: quantile(cpu, 0.5),
    p95CpuMs: quantile(cpu, 0.95),
    maxMs: ms.length ? Math.max(...ms) : NaN,
    medianExpansions: quantile(results.map((r) => r.expansions), 0.5),
    lengthRatioMedian: quantile(ratios, 0.5),
    lengthRatioP95: quantile(ratios, 0.95),
    failures: results.filter((r) => r.status !== 'ok'),
    results,
  };
}
