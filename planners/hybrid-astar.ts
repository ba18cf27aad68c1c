/**
 * Hybrid A* (Dolgov et al., "Path Planning for Autonomous Vehicles in Unknown Semi-structured
 * Environments", 2010) over (x, y, heading) in a costmap's frame (metres from its corner).
 * Motion primitives: forward and reverse, full left / straight / full right at the minimum
 * turning radius, each turning exactly one heading bin so headings stay on the lattice.
 * Heuristic: max(Reeds-Shepp length without obstacles, grid Dijkstra with obstacles).
 * Analytic expansion: collision-checked Reeds-Shepp shots to the goal. Both a wall-clock cap
 * and an expansion cap are checked inside every loop, the heuristic's Dijkstra included.
 */
import type { Pose2 } from '../types/geometry.js';
import type { PlanStatus } from '../types/messages.js';
import type { Costmap } from './costmap.js';
import { samplePath, wrapAngle, type CurvePath } from './curve-path.js';
import { GridDijkstra } from './dijkstra.js';
import { Footprint } from './footprint.js';
import { GridGraph } from './grid-graph.js';
import { candidatePath, reedsSheppCandidates, reedsSheppDistanceXY } from './reeds-shepp.js';
import { BinaryHeap } from './binary-heap.js';

export interface HybridAStarOptions {
  /** Heading bins (default 72, 5 degrees). */
  headings?: number;
  /** Cost multiplier for reversing (default 1.5). */
  reversePenalty?: number;
  /** Cost added at each change of direction, metres (default 2). */
  switchPenalty?: number;
  /** Cost multiplier for steered (arc) motion (default 1.05). */
  steerPenalty?: number;
  /** Cost added when the steering changes between consecutive primitives, metres (default 0.05). */
  steerChangePenalty?: number;
  /** Allow reversing (default true). False gives a forward-only car (Dubins-like). */
  allowReverse?: boolean;
  /** Wall-clock cap in ms for the whole search, heuristic included (default 200). */
  timeLimitMs?: number;
  /** Expansion cap (default 200000). */
  maxExpansions?: number;
  /** Weight on the heuristic (default 1.5): above 1 trades path cost for search speed. */
  heuristicWeight?: number;
  /** Reeds-Shepp candidates tried per analytic expansion, cheapest first (default 2). */
  analyticCandidates?: number;
  /**
   * Analytic expansion period within one turning radius of the goal (default every 2nd
   * expansion); further out it stretches with the distance, up to every 12th.
   */
  shotEveryNear?: number;
  /** Within this many turning radii of the goal the heuristic includes the Reeds-Shepp length (default 3). */
  reedsSheppRange?: number;
}

export interface HybridResult {
  status: PlanStatus;
  /** x, y, yaw per pose (costmap frame), start to goal. */
  poses: Float64Array;
  /** +1 forward, -1 reverse per pose (the motion arriving at it). */
  directions: Int8Array;
  count: number;
  cost: number;
  length: number;
  expansions: number;
  planningMs: number;
  /** Of planningMs, the time spent on the obstacle heuristic's Dijkstra. */
  heuristicMs: number;
  reason?: string;
}

interface Primitive {
  dir: number;
  steer: number;
  /** Pose change in the vehicle frame at the sample points (the last is the end). */
  dx: Float64Array;
  dy: Float64Array;
  dyaw: Float64Array;
}

const SQRT1_2 = Math.SQRT1_2;

/**
 * The (cell, heading) -> node table is the big buffer (tens of MB on a 400x400 map): shared by
 * every planner instance and reused across queries, with generation stamps instead of clearing.
 */
interface Workspace {
  cellNode: Int32Array;
  cellStamp: Uint32Array;
  gen: number;
  pool: NodePool;
  heap: BinaryHeap;
  /** Reeds-Shepp heuristic per lattice state, valid when rsStamp matches the search's stamp. */
  rsCache: Float32Array;
  rsStamp: Uint32Array;
}

/** Search nodes as parallel typed arrays, grown by doubling, shared like the table. */
class NodePool {
  cap = 0;
  x = new Float64Array(0);
  y = new Float64Array(0);
  yaw = new Float64Array(0);
  g = new Float64Array(0);
  parent = new Int32Array(0);
  dir = new Int8Array(0);
  steer = new Int8Array(0);
  cell = new Int32Array(0);
  closed = new Uint8Array(0);

  grow(): void {
    const cap = Math.max(4096, this.cap * 2);
    const f64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    this.x = f64(this.x);
    this.y = f64(this.y);
    this.yaw = f64(this.yaw);
    this.g = f64(this.g);
    const p = new Int32Array(cap); p.set(this.parent); this.parent = p;
    const d = new Int8Array(cap); d.set(this.dir); this.dir = d;
    const st = new Int8Array(cap); st.set(this.steer); this.steer = st;
    const ce = new Int32Array(cap); ce.set(this.cell); this.cell = ce;
    const cl = new Uint8Array(cap); cl.set(this.closed); this.closed = cl;
    this.cap = cap;
  }
}
/** One workspace per slot: two searches may run interleaved (see planPath), each in its own. */
const shared: (Workspace | null)[] = [null, null];

/** The heuristic's Dijkstra, kept for the next planner on a grid of the same size. */
let heuristicCache: GridDijkstra | null = null;

/** Which planner's mask the cached graph holds: another planner of the same size reloads its own. */
let heuristicOwner: object | null = null;

function heuristicSearch(owner: object, width: number, height: number, blocked: Uint8Array): GridDijkstra {
  const g = heuristicCache?.graph;
  if (heuristicCache && g && g.width === width && g.height === height) {
    if (heuristicOwner !== owner) g.setBlocked(blocked);
  } else heuristicCache = new GridDijkstra(new GridGraph(width, height, blocked));
  heuristicOwner = owner;
  return heuristicCache;
}

function workspace(n: number, slot: number): Workspace {
  const old = shared[slot];
  if (!old || old.cellNode.length < n) {
    shared[slot] = {
      cellNode: new Int32Array(n), cellStamp: new Uint32Array(n), gen: 0, pool: old?.pool ?? new NodePool(),
      heap: old?.heap ?? new BinaryHeap(1 << 14), rsCache: new Float32Array(n), rsStamp: new Uint32Array(n),
    };
  }
  return shared[slot]!;
}

export class HybridAStar {
  readonly map: Costmap;
  readonly footprint: Footprint;
  private readonly headings: number;
  /** Heading bins each primitive turns. */
  readonly stepBins: number;
  /** Cell size of the obstacle heuristic's grid, metres. */
  readonly heuristicCell: number;
  private readonly binAngle: number;
  private readonly step: number;
  private readonly cell: number;
  private readonly lw: number;
  private readonly lh: number;
  private readonly cellNode: Int32Array;
  private readonly cellStamp: Uint32Array;
  private readonly ws: Workspace;
  private readonly primitives: Primitive[];
  // Heuristic grid.
  private readonly hFactor: number;
  private readonly hWidth: number;
  private readonly hHeight: number;
  private readonly hBlocked: Uint8Array;
  private count = 0;
  private get heap(): BinaryHeap {
    return this.ws.heap;
  }

  /**
   * `stepBins`: heading bins each arc turns (its length is radius x bins x bin angle, at least a
   * costmap cell diagonal). `heuristicCell`: cell size of the obstacle heuristic's grid, metres.
   * `workspaceSlot` (0 or 1): planners whose searches are interleaved need different slots.
   */
  constructor(map: Costmap, footprint: Footprint, headings = 72, stepBins = 2, heuristicCell = 0.8, workspaceSlot = 0) {
    if (workspaceSlot !== 0 && workspaceSlot !== 1) throw new RangeError(`workspaceSlot must be 0 or 1, got ${workspaceSlot}`);
    if (!Number.isInteger(headings) || headings < 8) throw new RangeError(`headings must be an integer >= 8, got ${headings}`);
    this.map = map;
    this.footprint = footprint;
    this.headings = headings;
    this.binAngle = (2 * Math.PI) / headings;
    const radius = footprint.shape.minTurningRadius;
    // Each arc turns a whole number of bins and is long enough to leave a costmap cell.
    const k = Math.max(Math.max(1, Math.floor(stepBins)), Math.ceil((Math.SQRT2 * map.resolution * 1.01) / (radius * this.binAngle)));
    this.stepBins = k;
    this.heuristicCell = heuristicCell;
    this.step = radius * this.binAngle * k;
    // Lattice cells small enough that every primitive leaves its cell (step >= cell diagonal).
    this.cell = (this.step * SQRT1_2) / 1.01;
    this.lw = Math.ceil((map.width * map.resolution) / this.cell);
    this.lh = Math.ceil((map.height * map.resolution) / this.cell);
    const n = this.lw * this.lh * headings;
    this.ws = workspace(n, workspaceSlot);
    this.cellNode = this.ws.cellNode;
    this.cellStamp = this.ws.cellStamp;
    this.primitives = [];
    const samples = Math.max(1, Math.ceil(this.step / map.resolution));
    for (const dir of [1, -1]) {
      for (const steer of [0, 1, -1]) {
        const p: Primitive = { dir, steer, dx: new Float64Array(samples), dy: new Float64Array(samples), dyaw: new Float64Array(samples) };
        for (let i = 0; i < samples; i++) {
          const s = (dir * this.step * (i + 1)) / samples;
          if (steer === 0) {
            p.dx[i] = s;
            p.dy[i] = 0;
            p.dyaw[i] = 0;
          } else {
            const a = (steer * s) / radius;
            p.dx[i] = radius * Math.sin(a) * steer;
            p.dy[i] = radius * (1 - Math.cos(a)) * steer;
            p.dyaw[i] = a;
          }
        }
        this.primitives.push(p);
      }
    }
    // Obstacle heuristic grid: a coarse cell is free when any of its cells leaves room for
    // the car's centre line (optimistic, so it never declares a drivable route blocked).
    const f = Math.max(1, Math.round(heuristicCell / map.resolution));
    this.hFactor = f;
    this.hWidth = Math.ceil(map.width / f);
    const hHeight = Math.ceil(map.height / f);
    const need = Math.max(0, footprint.centreClearance - Math.SQRT2 * map.resolution);
    const blocked = new Uint8Array(this.hWidth * hHeight).fill(1);
    for (let y = 0; y < map.height; y++) {
      for (let x = 0; x < map.width; x++) {
        if (map.clearance[y * map.width + x] >= need) blocked[Math.floor(y / f) * this.hWidth + Math.floor(x / f)] = 0;
      }
    }
    this.hHeight = hHeight;
    this.hBlocked = blocked;
  }

  /** Heading bins of the lattice. */
  get headingCount(): number {
    return this.headings;
  }

  /** Step length of the motion primitives, metres. */
  get stepLength(): number {
    return this.step;
  }

  plan(start: Pose2, goal: Pose2, options: HybridAStarOptions = {}): HybridResult {
    const steps = this.search(start, goal, options);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * The search as a generator: it pauses every 256 expansions, yielding its expansion count,
   * and returns the result, so two searches can share a budget. The caps count from this call;
   * a number passed to `next()` replaces the expansion cap.
   */
  *search(start: Pose2, goal: Pose2, options: HybridAStarOptions = {}): Generator<number, HybridResult, number | undefined> {
    const t0 = performance.now();
    const timeLimit = options.timeLimitMs ?? 200;
    const deadline = t0 + timeLimit;
    let maxExpansions = options.maxExpansions ?? 200_000;
    const reversePenalty = options.reversePenalty ?? 1.5;
    const switchPenalty = options.switchPenalty ?? 2;
    const steerPenalty = options.steerPenalty ?? 1.05;
    const steerChangePenalty = options.steerChangePenalty ?? 0.05;
    const allowReverse = options.allowReverse ?? true;
    const analyticCandidates = Math.max(1, options.analyticCandidates ?? 2);
    const weight = options.heuristicWeight ?? 1.5;
    const shotEveryNear = Math.max(1, Math.floor(options.shotEveryNear ?? 2));
    const map = this.map;
    const fp = this.footprint;
    const radius = fp.shape.minTurningRadius;
    let heuristicMs = 0;
    const fail = (status: PlanStatus, reason: string, expansions = 0): HybridResult => ({
      status, poses: new Float64Array(0), directions: new Int8Array(0), count: 0, cost: Infinity, length: 0, expansions,
      planningMs: performance.now() - t0, heuristicMs, reason,
    });

    if (fp.collides(map, start.x, start.y, start.yaw)) return fail('start_in_collision', 'the vehicle at the start pose overlaps an obstacle or the map edge');
    if (fp.collides(map, goal.x, goal.y, goal.yaw)) return fail('goal_in_collision', 'the vehicle at the goal pose overlaps an obstacle or the map edge');

    // Obstacle-aware heuristic: Dijkstra from the goal over the coarse grid.
    const f = this.hFactor;
    const res = map.resolution;
    const hCell = res * f;
    // The heuristic's grid is about the car's centre point (see Footprint.centreClearance).
    const co = fp.centreOffset;
    const gcx = Math.floor((goal.x + co * Math.cos(goal.yaw)) / hCell);
    const gcy = Math.floor((goal.y + co * Math.sin(goal.yaw)) / hCell);
    const th = performance.now();
    const hd = heuristicSearch(this, this.hWidth, this.hHeight, this.hBlocked);
    const hStatus = hd.run(gcx, gcy, { deadline });
    heuristicMs = performance.now() - th;
    if (hStatus === 'timeout') {
      return fail('timeout', `time cap of ${timeLimit} ms reached while computing the obstacle heuristic`);
    }
    const h2dStart = hd.distance(Math.floor((start.x + co * Math.cos(start.yaw)) / hCell), Math.floor((start.y + co * Math.sin(start.yaw)) / hCell));
    if (h2dStart === Infinity) return fail('no_path', 'no corridor wide enough for the vehicle connects the start to the goal');
    const rsRange = (options.reedsSheppRange ?? 3) * radius;
    const rsCache = this.ws.rsCache;
    const rsStamp = this.ws.rsStamp;
    let gen = 0; // set below, before the first call
    // `li`: the pose's lattice state. Its Reeds-Shepp length is computed once per state and
    // search (the first pose to reach the state stands for it): the heuristic's costliest part.
    const heuristic = (x: number, y: number, yaw: number, li: number): number => {
      // Coarse-grid distances run up to one coarse cell long; take it off to stay optimistic.
      const h2 = hd.distance(Math.floor((x + co * Math.cos(yaw)) / hCell), Math.floor((y + co * Math.sin(yaw)) / hCell)) * hCell - hCell;
      const dx = goal.x - x;
      const dy = goal.y - y;
      const e = Math.sqrt(dx * dx + dy * dy);
      let hn = e;
      if (e < rsRange) {
        if (rsStamp[li] === gen) hn = rsCache[li];
        else {
          hn = reedsSheppDistanceXY(x, y, yaw, goal.x, goal.y, goal.yaw, radius);
          rsCache[li] = hn;
          rsStamp[li] = gen;
        }
      }
      return weight * (h2 > hn ? h2 : hn);
    };

    // Search state.
    const ws = this.ws;
    ws.gen++;
    if (ws.gen === 0xffffffff) {
      ws.cellStamp.fill(0);
      ws.rsStamp.fill(0);
      ws.gen = 1;
    }
    gen = ws.gen;
    this.count = 0;
    const heap = this.heap;
    heap.clear();
    const startNode = this.addNode(start.x, start.y, start.yaw, 0, -1, 0, 0);
    const sc = this.latticeIndex(start.x, start.y, start.yaw);
    this.ws.pool.cell[startNode] = sc;
    this.cellStamp[sc] = gen;
    this.cellNode[sc] = startNode;
    heap.push(heuristic(start.x, start.y, start.yaw, sc), 0, startNode);

    const prims = this.primitives;
    let expansions = 0;
    let bestH = Infinity;
    while (heap.size > 0) {
      const node = heap.pop();
      if (this.ws.pool.closed[node]) continue;
      const lc = this.ws.pool.cell[node];
      if (this.cellStamp[lc] !== gen || this.cellNode[lc] !== node) continue; // superseded
      this.ws.pool.closed[node] = 1;
      expansions++;
      if (expansions > maxExpansions) return fail('timeout', `expansion cap of ${maxExpansions} reached`, expansions);
      if ((expansions & 15) === 0 && performance.now() > deadline) {
        return fail('timeout', `time cap of ${timeLimit} ms reached after ${expansions} expansions`, expansions);
      }
      if ((expansions & 255) === 0) {
        const cap = yield expansions;
        if (cap !== undefined) maxExpansions = cap;
      }
      const x = this.ws.pool.x[node];
      const y = this.ws.pool.y[node];
      const yaw = this.ws.pool.yaw[node];
      const g = this.ws.pool.g[node];
      const pdir = this.ws.pool.dir[node];
      const psteer = this.ws.pool.steer[node];

      // Analytic expansion: more often as the goal nears.
      const dxg = goal.x - x;
      const dyg = goal.y - y;
      const dGoal = Math.sqrt(dxg * dxg + dyg * dyg);
      if (dGoal < bestH) bestH = dGoal;
      const every = dGoal < radius ? shotEveryNear : Math.max(shotEveryNear + 1, Math.min(12, Math.floor(dGoal / 4)));
      if (expansions % every === 0) {
        const shot = this.analyticShot({ x, y, yaw }, goal, pdir, allowReverse, reversePenalty, switchPenalty, analyticCandidates);
        if (shot) return this.finish(node, shot.path, g + shot.cost, expansions, t0, heuristicMs);
      }

      const c = Math.cos(yaw);
      const s = Math.sin(yaw);
      // Far from obstacles every primitive is free without checking its samples.
      const clear = fp.freeTravel(map, x, y, yaw) > this.step;
      for (let pi = 0; pi < prims.length; pi++) {
        const p = prims[pi];
        if (p.dir < 0 && !allowReverse) continue;
        // Collision check along the primitive.
        let hit = false;
        const last = p.dx.length - 1;
        for (let k = clear ? last + 1 : 0; k <= last; k++) {
          const px = x + c * p.dx[k] - s * p.dy[k];
          const py = y + s * p.dx[k] + c * p.dy[k];
          if (fp.collides(map, px, py, yaw + p.dyaw[k])) {
            hit = true;
            break;
          }
        }
        if (hit) continue;
        const ex = x + c * p.dx[last] - s * p.dy[last];
        const ey = y + s * p.dx[last] + c * p.dy[last];
        const eyaw = yaw + p.dyaw[last];
        const li = this.latticeIndex(ex, ey, eyaw);
        const stamped = this.cellStamp[li] === gen;
        if (stamped && this.ws.pool.closed[this.cellNode[li]]) continue;
        let cost = this.step;
        if (p.dir < 0) cost *= reversePenalty;
        if (p.steer !== 0) cost *= steerPenalty;
        if (pdir !== 0 && p.dir !== pdir) cost += switchPenalty;
        if (p.steer !== psteer) cost += steerChangePenalty;
        if (map.unknownCost > 0) {
          const ci = Math.floor(ey / res) * map.width + Math.floor(ex / res);
          if (map.unknown[ci]) cost += map.unknownCost * this.step;
        }
        const ng = g + cost;
        if (stamped && this.ws.pool.g[this.cellNode[li]] <= ng) continue;
        const h = heuristic(ex, ey, eyaw, li);
        if (h === Infinity) continue; // cut off from the goal even for the relaxed 2D search
        const child = this.addNode(ex, ey, eyaw, ng, node, p.dir, p.steer);
        this.ws.pool.cell[child] = li;
        this.cellStamp[li] = gen;
        this.cellNode[li] = child;
        heap.push(ng + h, ng, child);
      }
    }
    return fail('no_path', `the search space is exhausted after ${expansions} expansions (closest approach ${bestH.toFixed(2)} m)`, expansions);
  }

  private latticeIndex(x: number, y: number, yaw: number): number {
    const cx = Math.min(this.lw - 1, Math.max(0, Math.floor(x / this.cell)));
    const cy = Math.min(this.lh - 1, Math.max(0, Math.floor(y / this.cell)));
    let b = Math.round(yaw / this.binAngle) % this.headings;
    if (b < 0) b += this.headings;
    return (cy * this.lw + cx) * this.headings + b;
  }

  private addNode(x: number, y: number, yaw: number, g: number, parent: number, dir: number, steer: number): number {
    const pool = this.ws.pool;
    if (this.count === pool.cap) pool.grow();
    const i = this.count++;
    pool.x[i] = x;
    pool.y[i] = y;
    pool.yaw[i] = yaw;
    pool.g[i] = g;
    pool.parent[i] = parent;
    pool.dir[i] = dir;
    pool.steer[i] = steer;
    pool.closed[i] = 0;
    return i;
  }

  /** Cheapest collision-free Reeds-Shepp connection to the goal among the candidates, with its penalised cost. */
  private analyticShot(from: Pose2, goal: Pose2, pdir: number, allowReverse: boolean, reversePenalty: number, switchPenalty: number, candidates: number): { path: CurvePath; cost: number } | null {
    const radius = this.footprint.shape.minTurningRadius;
    const c = reedsSheppCandidates(from, goal, radius);
    const order = this.shotOrder;
    const costs = this.shotCost;
    let n = 0;
    for (let i = 0; i < c.count; i++) {
      let cost = 0;
      let dir = pdir;
      let ok = true;
      const w = c.words[i];
      for (let k = 0; k < w.length; k++) {
        const l = c.lengths[5 * i + k];
        if (Math.abs(l) < 1e-12) continue;
        const d = l < 0 ? -1 : 1;
        if (d < 0 && !allowReverse) ok = false;
        cost += Math.abs(l) * (d < 0 ? reversePenalty : 1);
        if (dir !== 0 && d !== dir) cost += switchPenalty;
        dir = d;
      }
      if (!ok) continue;
      // Insertion into the sorted order.
      let j = n++;
      while (j > 0 && costs[j - 1] > cost) {
        costs[j] = costs[j - 1];
        order[j] = order[j - 1];
        j--;
      }
      costs[j] = cost;
      order[j] = i;
    }
    for (let k = 0; k < Math.min(candidates, n); k++) {
      const i = order[k];
      if (!this.curveCollides(from, c.words[i], c.lengths, 5 * i, radius)) return { path: candidatePath(c, i, radius), cost: costs[k] };
    }
    return null;
  }

  private readonly shotOrder = new Int32Array(64);
  private readonly shotCost = new Float64Array(64);

  /**
   * Walks a Reeds-Shepp candidate and checks the footprint (no allocation): steps of one
   * costmap cell near obstacles, longer where the clearance margin guarantees free travel.
   */
  private curveCollides(from: Pose2, word: string, lengths: Float64Array, at: number, radius: number): boolean {
    const step = this.map.resolution;
    const fp = this.footprint;
    const map = this.map;
    let x = from.x;
    let y = from.y;
    let yaw = from.yaw;
    // Driving already covered by the last free-travel check, carried across segments.
    let covered = fp.freeTravel(map, x, y, yaw);
    for (let k = 0; k < word.length; k++) {
      const len = lengths[at + k];
      if (len === 0) continue;
      const kind = word.charCodeAt(k); // 76 'L', 82 'R', 83 'S'
      const total = Math.abs(len);
      const sign = len < 0 ? -1 : 1;
      const c0 = Math.cos(yaw);
      const s0 = Math.sin(yaw);
      let px = x;
      let py = y;
      let pyaw = yaw;
      let done = 0;
      while (done < total) {
        done = Math.min(total, done + Math.max(step, covered));
        const l = sign * done;
        if (kind === 83) {
          px = x + l * c0;
          py = y + l * s0;
        } else {
          const turn = kind === 76 ? l / radius : -l / radius;
          pyaw = yaw + turn;
          const sgn = kind === 76 ? 1 : -1;
          px = x + sgn * radius * (Math.sin(pyaw) - s0);
          py = y + sgn * radius * (c0 - Math.cos(pyaw));
        }
        covered = fp.freeTravel(map, px, py, pyaw);
        if (covered <= 0 && fp.collides(map, px, py, pyaw)) return true;
      }
      x = px;
      y = py;
      yaw = pyaw;
    }
    return false;
  }

  /** Poses from the start through the search nodes and along the final Reeds-Shepp shot. */
  private finish(node: number, shot: CurvePath, cost: number, expansions: number, t0: number, heuristicMs: number): HybridResult {
    const chain: number[] = [];
    for (let i = node; i !== -1; i = this.ws.pool.parent[i]) chain.push(i);
    chain.reverse();
    const last = chain[chain.length - 1];
    const sampled = samplePath({ x: this.ws.pool.x[last], y: this.ws.pool.y[last], yaw: this.ws.pool.yaw[last] }, shot, this.step / 2);
    const count = chain.length + sampled.count - 1;
    const poses = new Float64Array(count * 3);
    const directions = new Int8Array(count);
    let k = 0;
    let length = 0;
    for (const i of chain) {
      poses[3 * k] = this.ws.pool.x[i];
      poses[3 * k + 1] = this.ws.pool.y[i];
      poses[3 * k + 2] = wrapAngle(this.ws.pool.yaw[i]);
      directions[k] = this.ws.pool.dir[i];
      if (k > 0) length += this.step;
      k++;
    }
    for (let j = 1; j < sampled.count; j++) {
      poses[3 * k] = sampled.poses[3 * j];
      poses[3 * k + 1] = sampled.poses[3 * j + 1];
      poses[3 * k + 2] = wrapAngle(sampled.poses[3 * j + 2]);
      directions[k] = sampled.directions[j];
      k++;
    }
    length += shot.length;
    // The start takes the direction of the first motion.
    if (count > 1) directions[0] = directions[1];
    else directions[0] = 1;
    return { status: 'ok', poses, directions, count, cost, length, expansions, planningMs: performance.now() - t0, heuristicMs };
  }
}
