/**
 * Full-field Dijkstra from one cell over the same 8-connected, no-corner-cutting grid as grid
 * A*: the exact obstacle-aware cost-to-go of every cell, used as Hybrid A*'s 2D heuristic.
 * Buffers are reused between runs (generation stamps instead of clearing).
 */
import { BinaryHeap } from './binary-heap.js';
import { GridGraph, Stamps } from './grid-graph.js';
import type { GridSearchLimits } from './grid-astar.js';

const SQRT2 = Math.SQRT2;

export class GridDijkstra {
  readonly graph: GridGraph;
  private readonly dist: Float64Array;
  private readonly seen: Stamps;
  private readonly closed: Stamps;
  private readonly heap: BinaryHeap;
  /** Cells settled by the last run. */
  settled = 0;

  constructor(graph: GridGraph) {
    this.graph = graph;
    const n = graph.blocked.length;
    this.dist = new Float64Array(n);
    this.seen = new Stamps(n);
    this.closed = new Stamps(n);
    this.heap = new BinaryHeap(1 << 12);
  }

  /**
   * Computes the distance (in cells) from every reachable cell to (gx, gy). Returns 'timeout'
   * when a limit hit first (the field is then partial). A blocked or outside source yields an
   * empty field.
   */
  run(gx: number, gy: number, limits: GridSearchLimits = {}): 'ok' | 'timeout' {
    const graph = this.graph;
    const stride = graph.stride;
    const blocked = graph.blocked;
    const dist = this.dist;
    const seen = this.seen.marks;
    const closed = this.closed.marks;
    const gen = this.seen.next();
    const cgen = this.closed.next();
    const heap = this.heap;
    heap.clear();
    this.settled = 0;
    if (!graph.isFree(gx, gy)) return 'ok';
    const deadline = limits.deadline ?? Infinity;
    const maxSettled = limits.maxExpansions ?? Infinity;
    const src = graph.index(gx, gy);
    dist[src] = 0;
    seen[src] = gen;
    heap.push(0, 0, src);
    let settled = 0;
    while (heap.size > 0) {
      const cur = heap.pop();
      if (closed[cur] === cgen) continue;
      closed[cur] = cgen;
      settled++;
      if (settled > maxSettled || ((settled & 2047) === 0 && performance.now() > deadline)) {
        this.settled = settled;
        return 'timeout';
      }
      const dc = dist[cur];
      const n = cur - stride;
      const s = cur + stride;
      const w = cur - 1;
      const e = cur + 1;
      const fn = blocked[n] === 0;
      const fs = blocked[s] === 0;
      const fw = blocked[w] === 0;
      const fe = blocked[e] === 0;
      const ds = dc + 1;
      const dd = dc + SQRT2;
      if (fn && closed[n] !== cgen && (seen[n] !== gen || dist[n] > ds)) { seen[n] = gen; dist[n] = ds; heap.push(ds, 0, n); }
      if (fs && closed[s] !== cgen && (seen[s] !== gen || dist[s] > ds)) { seen[s] = gen; dist[s] = ds; heap.push(ds, 0, s); }
      if (fw && closed[w] !== cgen && (seen[w] !== gen || dist[w] > ds)) { seen[w] = gen; dist[w] = ds; heap.push(ds, 0, w); }
      if (fe && closed[e] !== cgen && (seen[e] !== gen || dist[e] > ds)) { seen[e] = gen; dist[e] = ds; heap.push(ds, 0, e); }
      if (fn && fw) this.diag(n - 1, dd, gen, cgen);
      if (fn && fe) this.diag(n + 1, dd, gen, cgen);
      if (fs && fw) this.diag(s - 1, dd, gen, cgen);
      if (fs && fe) this.diag(s + 1, dd, gen, cgen);
    }
    this.settled = settled;
    return 'ok';
  }

  private diag(i: number, d: number, gen: number, cgen: number): void {
    if (this.graph.blocked[i] !== 0 || this.closed.marks[i] === cgen) return;
    const seen = this.seen.marks;
    if (seen[i] === gen && this.dist[i] <= d) return;
    seen[i] = gen;
    this.dist[i] = d;
    this.heap.push(d, 0, i);
  }

  /** Distance in cells from (x, y) to the last run's source; Infinity if unreachable or outside. */
  distance(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.graph.width || y >= this.graph.height) return Infinity;
    const i = (y + 1) * this.graph.stride + x + 1;
    return this.closed.marks[i] === this.closed.current ? this.dist[i] : Infinity;
  }

  /** The last run's field as a width x height Float64Array (Infinity = unreachable). */
  field(): Float64Array {
    const { width, height } = this.graph;
    const out = new Float64Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = this.distance(x, y);
    return out;
  }
}
