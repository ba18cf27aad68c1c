/**
 * Optimal 8-connected grid A* (straight moves cost 1, diagonals sqrt 2, no corner cutting) with
 * the octile heuristic. All state lives in typed arrays sized once per grid and reused between
 * queries: generation stamps stand in for clearing, the open list is a typed binary heap.
 */
import { GridGraph, Stamps } from './grid-graph.js';

const SQRT2 = Math.SQRT2;
const OCTILE = SQRT2 - 1;
const TIE = 1e-9;
const DX = Int32Array.from([0, 0, -1, 1, -1, 1, -1, 1]);
const DY = Int32Array.from([-1, 1, 0, 0, -1, -1, 1, 1]);

export interface GridSearchLimits {
  /** performance.now() value after which the search gives up. */
  deadline?: number;
  maxExpansions?: number;
}

export interface GridPath {
  /** 'ok' with a path, 'no_path' when the goal is unreachable, 'timeout' when a limit hit. */
  status: 'ok' | 'no_path' | 'timeout';
  /** Path length in cells (Infinity unless ok). */
  length: number;
  /** Cells from start to goal as x0, y0, x1, y1, ... (empty unless ok). */
  cells: Int32Array;
  expansions: number;
}

export class GridAStar {
  readonly graph: GridGraph;
  private readonly g: Float64Array;
  private readonly parent: Int32Array;
  private readonly state: Stamps;
  private readonly stack = new Int32Array(4096);
  private heapF: Float64Array = new Float64Array(4096);
  private heapId: Int32Array = new Int32Array(4096);
  /** Padded-index offsets of the neighbours: N, S, W, E, NW, NE, SW, SE. */
  private readonly offsets: Int32Array;

  constructor(graph: GridGraph) {
    this.graph = graph;
    const n = graph.blocked.length;
    this.g = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.state = new Stamps(n);
    const w = graph.stride;
    this.offsets = Int32Array.from([-w, w, -1, 1, -w - 1, -w + 1, w - 1, w + 1]);
  }

  /** Shortest path from (sx, sy) to (gx, gy). Throws a RangeError for a start/goal off the map or blocked. */
  search(sx: number, sy: number, gx: number, gy: number, limits: GridSearchLimits = {}): GridPath {
    const graph = this.graph;
    graph.checkCell('start', sx, sy);
    graph.checkCell('goal', gx, gy);
    const stride = graph.stride;
    const blocked = graph.blocked;
    const g = this.g;
    const parent = this.parent;
    // One stamp array for both sets: OPEN = seen this search, OPEN + 1 = closed.
    const state = this.state.marks;
    const OPEN = this.state.next2();
    const CLOSED = OPEN + 1;
    const deadline = limits.deadline ?? Infinity;
    const maxExpansions = limits.maxExpansions ?? Infinity;
    // The open list: a binary heap inlined here on typed arrays (key f, ties toward larger g),
    // plus a stack of successors whose f equals the current minimum. Those would be popped next
    // anyway, so they skip the heap: across open areas most expansions never touch it.
    let hf = this.heapF;
    let hid = this.heapId;
    let hn = 0;
    const stack = this.stack;
    let sn = 0;

    const start = graph.index(sx, sy);
    const goal = graph.index(gx, gy);
    const gpx = gx + 1;
    const gpy = gy + 1;
    g[start] = 0;
    parent[start] = -1;
    state[start] = OPEN;
    stack[sn++] = start;
    let expansions = 0;
    const offsets = this.offsets;

    for (;;) {
      let cur: number;
      if (sn > 0) cur = stack[--sn];
      else if (hn > 0) {
        cur = hid[0];
        hn--;
        if (hn > 0) {
          // Sift the former last entry down from the root.
          const kf = hf[hn];
          const kid = hid[hn];
          let i = 0;
          for (;;) {
            let c = 2 * i + 1;
            if (c >= hn) break;
            const r = c + 1;
            if (r < hn && hf[r] < hf[c]) c = r;
            const cf = hf[c];
            if (kf <= cf) break;
            hf[i] = cf;
            hid[i] = hid[c];
            i = c;
          }
          hf[i] = kf;
          hid[i] = kid;
        }
      } else break;
      if (state[cur] === CLOSED) continue; // stale duplicate
      state[cur] = CLOSED;
      if (cur === goal) {
        this.keepHeap(hf, hid);
        return this.result('ok', g[goal], goal, expansions);
      }
      expansions++;
      if (expansions > maxExpansions || ((expansions & 1023) === 0 && performance.now() > deadline)) {
        this.keepHeap(hf, hid);
        return this.result('timeout', Infinity, -1, expansions);
      }
      const gc = g[cur];
      const cy = (cur / stride) | 0;
      const cx = cur - cy * stride;
      const hx = cx > gpx ? cx - gpx : gpx - cx;
      const hy = cy > gpy ? cy - gpy : gpy - cy;
      const fcur = gc + (hx > hy ? hx + OCTILE * hy : hy + OCTILE * hx) + 1e-9;
      // Which orthogonal neighbours are free decides which diagonals may be taken.
      const fn = blocked[cur - stride] === 0;
      const fs = blocked[cur + stride] === 0;
      const fw = blocked[cur - 1] === 0;
      const fe = blocked[cur + 1] === 0;
      const allowed =
        (fn ? 1 : 0) | (fs ? 2 : 0) | (fw ? 4 : 0) | (fe ? 8 : 0) |
        (fn && fw ? 16 : 0) | (fn && fe ? 32 : 0) | (fs && fw ? 64 : 0) | (fs && fe ? 128 : 0);
      for (let k = 0; k < 8; k++) {
        if ((allowed & (1 << k)) === 0) continue;
        const nb = cur + offsets[k];
        const st = state[nb];
        if (st === CLOSED || blocked[nb] !== 0) continue;
        const ng = gc + (k < 4 ? 1 : SQRT2);
        if (st === OPEN && g[nb] <= ng) continue;
        state[nb] = OPEN;
        g[nb] = ng;
        parent[nb] = cur;
        const ax = cx + DX[k] - gpx;
        const ay = cy + DY[k] - gpy;
        const dx = ax < 0 ? -ax : ax;
        const dy = ay < 0 ? -ay : ay;
        const nf = ng + (dx > dy ? dx + OCTILE * dy : dy + OCTILE * dx);
        if (nf <= fcur && sn < stack.length) {
          stack[sn++] = nb;
          continue;
        }
        // Push (sift up). The key folds the tie-break into f: among equal f, larger g first.
        // TIE * g stays below 1e-5 for any path under 10 000 cells: far under the precision
        // that can separate two different path lengths by more than the benchmark tolerance.
        const key = nf - TIE * ng;
        if (hn === hf.length) {
          this.growHeap(hn);
          hf = this.heapF;
          hid = this.heapId;
        }
        let i = hn++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          const pf = hf[p];
          if (pf <= key) break;
          hf[i] = pf;
          hid[i] = hid[p];
          i = p;
        }
        hf[i] = key;
        hid[i] = nb;
      }
    }
    this.keepHeap(hf, hid);
    return this.result('no_path', Infinity, -1, expansions);
  }

  private keepHeap(hf: Float64Array, hid: Int32Array): void {
    this.heapF = hf;
    this.heapId = hid;
  }

  private growHeap(n: number): void {
    const f = new Float64Array(n * 2);
    f.set(this.heapF);
    const id = new Int32Array(n * 2);
    id.set(this.heapId);
    this.heapF = f;
    this.heapId = id;
  }

  private result(status: GridPath['status'], length: number, goal: number, expansions: number): GridPath {
    if (status !== 'ok') return { status, length, cells: new Int32Array(0), expansions };
    let count = 0;
    for (let i = goal; i !== -1; i = this.parent[i]) count++;
    const cells = new Int32Array(count * 2);
    const stride = this.graph.stride;
    let k = count - 1;
    for (let i = goal; i !== -1; i = this.parent[i], k--) {
      const y = (i / stride) | 0;
      cells[2 * k] = i - y * stride - 1;
      cells[2 * k + 1] = y - 1;
    }
    return { status, length, cells, expansions };
  }
}

function octile(dx: number, dy: number): number {
  const ax = dx < 0 ? -dx : dx;
  const ay = dy < 0 ? -dy : dy;
  return ax > ay ? ax + OCTILE * ay : ay + OCTILE * ax;
}

/** Length of a cell path given as x0, y0, x1, y1, ... (1 per straight step, sqrt 2 per diagonal). */
export function cellPathLength(cells: ArrayLike<number>): number {
  let len = 0;
  for (let k = 2; k < cells.length; k += 2) {
    const diag = cells[k] !== cells[k - 2] && cells[k + 1] !== cells[k - 1];
    len += diag ? SQRT2 : 1;
  }
  return len;
}

/** [[x, y], ...] form of a cell path, as the CLI prints it. */
export function cellPairs(cells: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < cells.length; k += 2) out.push([cells[k], cells[k + 1]]);
  return out;
}
