/**
 * The town's streets: a jittered grid of intersections joined by straight or curved two-lane
 * roads, each with parking strips and sidewalks. `groundAt` answers what lies on the ground at a
 * point (road, lane paint, sidewalk, curb, verge) analytically, through a spatial hash of road
 * segments, so the renderer can ask per pixel without a texture atlas.
 */
import { Polyline } from './polyline.js';
import { Prng } from './prng.js';

export interface RoadNode {
  id: number;
  x: number;
  y: number;
  /** Ids of the edges meeting here. */
  edges: number[];
}

export interface RoadEdge {
  id: number;
  from: number;
  to: number;
  /** Centre line from `from` to `to`, sampled every ~2 m. */
  line: Polyline;
}

export interface RoadGeometry {
  /** Width of one driving lane (m). */
  laneWidth: number;
  /** Width of the parking strip beside each lane (m). */
  parkingWidth: number;
  /** Sidewalk width (m). */
  sidewalkWidth: number;
}

/** What covers the ground at a point. */
export const Ground = {
  road: 0,
  lanePaint: 1,
  sidewalk: 2,
  curb: 3,
  verge: 4,
} as const;
export type GroundKind = (typeof Ground)[keyof typeof Ground];

export interface RoadNetworkOptions {
  /** Intersections per side of the grid. */
  gridSize?: number;
  /** Block length range (m). */
  blockMin?: number;
  blockMax?: number;
  /** Share of roads drawn as curves. */
  curvedShare?: number;
}

const CELL = 6;
const PAINT_HALF = 0.07;
const DASH = 6;

export class RoadNetwork {
  readonly nodes: RoadNode[];
  readonly edges: RoadEdge[];
  readonly geometry: RoadGeometry;
  /** Half width of the paved carriageway, parking included. */
  readonly halfWidth: number;
  /** Distance from a node inside which no lane paint is drawn (the junction box). */
  readonly junctionClear: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;

  // Flat segment table for the per-pixel query.
  private readonly segX0: Float64Array;
  private readonly segY0: Float64Array;
  private readonly segDX: Float64Array;
  private readonly segDY: Float64Array;
  private readonly segLen: Float64Array;
  private readonly segS0: Float64Array;
  private readonly segEdge: Int32Array;
  private readonly edgeLen: Float64Array;
  // Spatial hash: cells of CELL metres listing the segments that can affect them.
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;

  /** Scratch outputs of the last groundAt call (no allocation per query). */
  lastEdge = -1;
  lastS = 0;
  lastLateral = 0;

  constructor(nodes: RoadNode[], edges: RoadEdge[], geometry: RoadGeometry) {
    if (edges.length === 0) throw new RangeError('a road network needs at least one road');
    this.nodes = nodes;
    this.edges = edges;
    this.geometry = geometry;
    this.halfWidth = geometry.laneWidth + geometry.parkingWidth;
    this.junctionClear = this.halfWidth + geometry.sidewalkWidth + 1;
    const reach = this.halfWidth + geometry.sidewalkWidth + 0.5;

    let nSeg = 0;
    for (const e of edges) nSeg += e.line.count - 1;
    this.segX0 = new Float64Array(nSeg);
    this.segY0 = new Float64Array(nSeg);
    this.segDX = new Float64Array(nSeg);
    this.segDY = new Float64Array(nSeg);
    this.segLen = new Float64Array(nSeg);
    this.segS0 = new Float64Array(nSeg);
    this.segEdge = new Int32Array(nSeg);
    this.edgeLen = new Float64Array(edges.length);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let k = 0;
    for (const e of edges) {
      const l = e.line;
      this.edgeLen[e.id] = l.length;
      for (let i = 0; i + 1 < l.count; i++, k++) {
        this.segX0[k] = l.xs[i];
        this.segY0[k] = l.ys[i];
        this.segDX[k] = l.xs[i + 1] - l.xs[i];
        this.segDY[k] = l.ys[i + 1] - l.ys[i];
        this.segLen[k] = l.cum[i + 1] - l.cum[i];
        this.segS0[k] = l.cum[i];
        this.segEdge[k] = e.id;
        minX = Math.min(minX, l.xs[i], l.xs[i + 1]);
        minY = Math.min(minY, l.ys[i], l.ys[i + 1]);
        maxX = Math.max(maxX, l.xs[i], l.xs[i + 1]);
        maxY = Math.max(maxY, l.ys[i], l.ys[i + 1]);
      }
    }
    const margin = reach + 60;
    this.minX = minX - margin;
    this.minY = minY - margin;
    this.maxX = maxX + margin;
    this.maxY = maxY + margin;
    this.cols = Math.ceil((this.maxX - this.minX) / CELL);
    this.rows = Math.ceil((this.maxY - this.minY) / CELL);

    // Two passes (count, fill) into a CSR layout.
    const counts = new Int32Array(this.cols * this.rows + 1);
    const forEachCell = (seg: number, fn: (cell: number) => void): void => {
      const x0 = this.segX0[seg];
      const y0 = this.segY0[seg];
      const x1 = x0 + this.segDX[seg];
      const y1 = y0 + this.segDY[seg];
      const c0 = Math.floor((Math.min(x0, x1) - reach - this.minX) / CELL);
      const c1 = Math.floor((Math.max(x0, x1) + reach - this.minX) / CELL);
      const r0 = Math.floor((Math.min(y0, y1) - reach - this.minY) / CELL);
      const r1 = Math.floor((Math.max(y0, y1) + reach - this.minY) / CELL);
      for (let r = Math.max(0, r0); r <= Math.min(this.rows - 1, r1); r++) {
        for (let c = Math.max(0, c0); c <= Math.min(this.cols - 1, c1); c++) fn(r * this.cols + c);
      }
    };
    for (let s = 0; s < nSeg; s++) forEachCell(s, (cell) => counts[cell + 1]++);
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.cellStart = counts;
    this.cellItems = new Int32Array(counts[counts.length - 1]);
    const fill = Int32Array.from(counts.subarray(0, counts.length - 1));
    for (let s = 0; s < nSeg; s++) forEachCell(s, (cell) => (this.cellItems[fill[cell]++] = s));
  }

  /**
   * Ground cover at (x, y). Also leaves the nearest road's edge id, arc length and signed lateral
   * offset (left of the edge's direction positive) in lastEdge / lastS / lastLateral.
   */
  groundAt(x: number, y: number): GroundKind {
    this.lastEdge = -1;
    const c = Math.floor((x - this.minX) / CELL);
    const r = Math.floor((y - this.minY) / CELL);
    if (c < 0 || r < 0 || c >= this.cols || r >= this.rows) return Ground.verge;
    const cell = r * this.cols + c;
    const end = this.cellStart[cell + 1];
    let bestD = Infinity;
    let bestSeg = -1;
    let bestT = 0;
    for (let k = this.cellStart[cell]; k < end; k++) {
      const seg = this.cellItems[k];
      const dx = this.segDX[seg];
      const dy = this.segDY[seg];
      const len = this.segLen[seg];
      const px = x - this.segX0[seg];
      const py = y - this.segY0[seg];
      let t = (px * dx + py * dy) / (len * len);
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - dx * t;
      const ey = py - dy * t;
      const d2 = ex * ex + ey * ey;
      if (d2 < bestD) {
        bestD = d2;
        bestSeg = seg;
        bestT = t;
      }
    }
    if (bestSeg < 0) return Ground.verge;
    const d = Math.sqrt(bestD);
    const g = this.geometry;
    const len = this.segLen[bestSeg];
    const lateral = (this.segDX[bestSeg] * (y - this.segY0[bestSeg]) - this.segDY[bestSeg] * (x - this.segX0[bestSeg])) / len;
    const edge = this.segEdge[bestSeg];
    const s = this.segS0[bestSeg] + bestT * len;
    this.lastEdge = edge;
    this.lastS = s;
    this.lastLateral = lateral;
    if (d < this.halfWidth) {
      // Paint only away from junctions, where one road owns the ground.
      if (s > this.junctionClear && s < this.edgeLen[edge] - this.junctionClear) {
        const a = Math.abs(lateral);
        if (a < PAINT_HALF && s % DASH < DASH * 0.5) return Ground.lanePaint;
        if (Math.abs(a - g.laneWidth) < PAINT_HALF * 0.8) return Ground.lanePaint;
      }
      return Ground.road;
    }
    const w = d - this.halfWidth;
    if (w < 0.18) return Ground.curb;
    if (w < g.sidewalkWidth) return Ground.sidewalk;
    return Ground.verge;
  }

  /** Distance from (x, y) to the nearest road centre line (Infinity far outside the town). */
  distanceToCentreLine(x: number, y: number): number {
    const kind = this.groundAt(x, y);
    if (this.lastEdge < 0) return kind === Ground.verge ? Infinity : 0;
    return Math.abs(this.lastLateral);
  }

  /** The other end of `edge` seen from `node`. */
  otherEnd(edge: number, node: number): number {
    const e = this.edges[edge];
    return e.from === node ? e.to : e.from;
  }

  /** The edge's centre line oriented to leave `node`. */
  lineFrom(edge: number, node: number): Polyline {
    const e = this.edges[edge];
    return e.from === node ? e.line : e.line.reversed();
  }
}

/** Build a seeded town street grid. */
export function generateRoadNetwork(rng: Prng, options: RoadNetworkOptions = {}): RoadNetwork {
  const n = options.gridSize ?? 6;
  if (n < 2) throw new RangeError(`gridSize must be at least 2 (got ${n})`);
  const blockMin = options.blockMin ?? 55;
  const blockMax = options.blockMax ?? 85;
  const curvedShare = options.curvedShare ?? 0.35;

  // Row and column lines at irregular spacing, then a little jitter per node.
  const xsLine = [0];
  const ysLine = [0];
  for (let i = 1; i < n; i++) {
    xsLine.push(xsLine[i - 1] + rng.range(blockMin, blockMax));
    ysLine.push(ysLine[i - 1] + rng.range(blockMin, blockMax));
  }
  const nodes: RoadNode[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      nodes.push({ id: nodes.length, x: xsLine[i] + rng.range(-6, 6), y: ysLine[j] + rng.range(-6, 6), edges: [] });
    }
  }
  const pairs: [number, number][] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (i + 1 < n) pairs.push([j * n + i, j * n + i + 1]);
      if (j + 1 < n) pairs.push([j * n + i, (j + 1) * n + i]);
    }
  }
  // Drop a few interior links for irregular blocks, keeping every node at degree >= 2 (a route
  // never reaches a dead end) and the graph connected.
  const degree = new Int32Array(nodes.length);
  for (const [a, b] of pairs) {
    degree[a]++;
    degree[b]++;
  }
  const keep = pairs.map(() => true);
  for (let p = 0; p < pairs.length; p++) {
    const [a, b] = pairs[p];
    if (!rng.chance(0.12) || degree[a] < 3 || degree[b] < 3) continue;
    keep[p] = false;
    if (!connected(nodes.length, pairs, keep)) {
      keep[p] = true;
      continue;
    }
    degree[a]--;
    degree[b]--;
  }

  const edges: RoadEdge[] = [];
  for (let p = 0; p < pairs.length; p++) {
    if (!keep[p]) continue;
    const [a, b] = pairs[p];
    const A = nodes[a];
    const B = nodes[b];
    const line = rng.chance(curvedShare) ? bentLine(A, B, rng.range(5, 11) * (rng.chance(0.5) ? 1 : -1)) : straightLine(A, B);
    const edge: RoadEdge = { id: edges.length, from: a, to: b, line };
    edges.push(edge);
    A.edges.push(edge.id);
    B.edges.push(edge.id);
  }
  return new RoadNetwork(nodes, edges, {
    laneWidth: rng.range(3.2, 3.7),
    parkingWidth: rng.range(2.1, 2.5),
    sidewalkWidth: rng.range(2.5, 4),
  });
}

function straightLine(a: { x: number; y: number }, b: { x: number; y: number }): Polyline {
  // Two points: one long segment keeps the per-pixel ground query short.
  return new Polyline([a.x, b.x], [a.y, b.y]);
}

/** A quadratic Bezier bowing `bulge` metres sideways at its middle. */
function bentLine(a: { x: number; y: number }, b: { x: number; y: number }, bulge: number): Polyline {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  // The control point sits at twice the bulge so the curve's middle is `bulge` off the chord.
  const cx = (a.x + b.x) / 2 - (dy / len) * bulge * 2;
  const cy = (a.y + b.y) / 2 + (dx / len) * bulge * 2;
  const steps = Math.max(8, Math.ceil(len / 2));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const t = k / steps;
    const u = 1 - t;
    xs.push(u * u * a.x + 2 * u * t * cx + t * t * b.x);
    ys.push(u * u * a.y + 2 * u * t * cy + t * t * b.y);
  }
  return new Polyline(xs, ys);
}

function connected(nNodes: number, pairs: [number, number][], keep: boolean[]): boolean {
  const adj: number[][] = Array.from({ length: nNodes }, () => []);
  pairs.forEach(([a, b], p) => {
    if (!keep[p]) return;
    adj[a].push(b);
    adj[b].push(a);
  });
  const seen = new Uint8Array(nNodes);
  const stack = [0];
  seen[0] = 1;
  let count = 1;
  while (stack.length) {
    const v = stack.pop()!;
    for (const w of adj[v]) {
      if (!seen[w]) {
        seen[w] = 1;
        count++;
        stack.push(w);
      }
    }
  }
  return count === nNodes;
}
