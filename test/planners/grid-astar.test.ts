import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BinaryHeap, GridAStar, GridDijkstra, GridGraph, cellPathLength } from '../../planners/index.js';

/** Independent reference: plain O(n^2) Dijkstra with the Moving AI move rules. */
function referenceDistances(w: number, h: number, blocked: Uint8Array, sx: number, sy: number): Float64Array {
  const dist = new Float64Array(w * h).fill(Infinity);
  const done = new Uint8Array(w * h);
  const free = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && !blocked[y * w + x];
  dist[sy * w + sx] = 0;
  for (;;) {
    let best = -1;
    for (let i = 0; i < w * h; i++) if (!done[i] && dist[i] < Infinity && (best < 0 || dist[i] < dist[best])) best = i;
    if (best < 0) return dist;
    done[best] = 1;
    const x = best % w;
    const y = Math.floor(best / w);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if ((dx === 0 && dy === 0) || !free(x + dx, y + dy)) continue;
        if (dx !== 0 && dy !== 0 && (!free(x + dx, y) || !free(x, y + dy))) continue;
        const nd = dist[best] + (dx !== 0 && dy !== 0 ? Math.SQRT2 : 1);
        const j = (y + dy) * w + x + dx;
        if (nd < dist[j]) dist[j] = nd;
      }
    }
  }
}

const gridArb = fc
  .record({ w: fc.integer({ min: 1, max: 14 }), h: fc.integer({ min: 1, max: 14 }), density: fc.double({ min: 0, max: 0.45, noNaN: true }), seed: fc.integer() })
  .map(({ w, h, density, seed }) => {
    let s = seed >>> 0;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
    const blocked = new Uint8Array(w * h).map(() => (rnd() < density ? 1 : 0));
    return { w, h, blocked };
  });

describe('BinaryHeap', () => {
  it('pops keys in order, larger tie first among equal keys', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 })), { maxLength: 200 }), (items) => {
        const heap = new BinaryHeap(4);
        items.forEach(([k, t], i) => heap.push(k, t, i));
        let prev: [number, number] | null = null;
        for (let n = 0; n < items.length; n++) {
          const id = heap.pop();
          const cur = items[id];
          if (prev) expect(cur[0] > prev[0] || (cur[0] === prev[0] && cur[1] <= prev[1])).toBe(true);
          prev = cur;
        }
        expect(heap.pop()).toBe(-1);
      }),
    );
  });
});

describe('GridAStar', () => {
  it('finds optimal lengths and legal paths (random grids, against a plain Dijkstra), reusing one instance', () => {
    fc.assert(
      fc.property(gridArb, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), ({ w, h, blocked }, queries) => {
        const graph = new GridGraph(w, h, blocked);
        const astar = new GridAStar(graph);
        for (const [a, b, c, d] of queries) {
          const sx = a % w, sy = b % h, gx = c % w, gy = d % h;
          blocked[sy * w + sx] = 0;
          blocked[gy * w + gx] = 0;
          const g2 = new GridGraph(w, h, blocked);
          const solver = new GridAStar(g2);
          const ref = referenceDistances(w, h, blocked, sx, sy)[gy * w + gx];
          // The fresh solver and a second query on it must agree (buffers reused via stamps).
          const r1 = solver.search(sx, sy, gx, gy);
          const r2 = solver.search(sx, sy, gx, gy);
          expect(r2.length).toBe(r1.length);
          if (ref === Infinity) {
            expect(r1.status).toBe('no_path');
            continue;
          }
          expect(r1.status).toBe('ok');
          expect(r1.length).toBeCloseTo(ref, 9);
          expect(cellPathLength(r1.cells)).toBeCloseTo(ref, 9);
          const c0 = r1.cells;
          expect([c0[0], c0[1]]).toEqual([sx, sy]);
          expect([c0[c0.length - 2], c0[c0.length - 1]]).toEqual([gx, gy]);
          for (let k = 2; k < c0.length; k += 2) {
            const dx = c0[k] - c0[k - 2];
            const dy = c0[k + 1] - c0[k - 1];
            expect(Math.max(Math.abs(dx), Math.abs(dy))).toBe(1);
            expect(blocked[c0[k + 1] * w + c0[k]]).toBe(0);
            if (dx !== 0 && dy !== 0) {
              expect(blocked[c0[k - 1] * w + c0[k]]).toBe(0); // no corner cutting
              expect(blocked[c0[k + 1] * w + c0[k - 2]]).toBe(0);
            }
          }
        }
        void astar;
      }),
      { numRuns: 150 },
    );
  });

  it('does not cut corners: a diagonal between two blocked cells is refused', () => {
    // . @
    // @ .
    const astar = new GridAStar(new GridGraph(2, 2, [0, 1, 1, 0]));
    expect(astar.search(0, 0, 1, 1).status).toBe('no_path');
  });

  it('throws clear errors for a start or goal that is blocked or off the map', () => {
    const astar = new GridAStar(new GridGraph(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(() => astar.search(1, 1, 0, 0)).toThrow(/start \(1,1\) is a blocked cell/);
    expect(() => astar.search(0, 0, 5, 0)).toThrow(/goal \(5,0\) is outside the 3x3 map/);
    expect(() => astar.search(0.5, 0, 1, 0)).toThrow(/outside/);
  });

  it('honours the expansion cap and the deadline', () => {
    const astar = new GridAStar(new GridGraph(200, 200, new Uint8Array(200 * 200)));
    const capped = astar.search(0, 0, 199, 150, { maxExpansions: 10 });
    expect(capped.status).toBe('timeout');
    expect(capped.expansions).toBeLessThanOrEqual(11);
    // A deadline in the past stops the search at its first clock check.
    const late = new GridAStar(new GridGraph(300, 300, new Uint8Array(300 * 300).map((_, i) => (i % 300 === 150 && i < 299 * 300 ? 1 : 0))));
    expect(late.search(0, 0, 299, 0, { deadline: performance.now() - 1 }).status).toBe('timeout');
    // And the same instance still answers afterwards.
    expect(astar.search(0, 0, 3, 4).length).toBeCloseTo(1 + 3 * Math.SQRT2, 12);
  });

  it('rejects malformed grids', () => {
    expect(() => new GridGraph(0, 5, [])).toThrow(/positive/);
    expect(() => new GridGraph(2, 2, [0, 0, 0])).toThrow(/3 cells, expected 2x2/);
  });
});

describe('GridDijkstra', () => {
  it('gives every cell its exact cost-to-go', () => {
    fc.assert(
      fc.property(gridArb, fc.nat(), fc.nat(), ({ w, h, blocked }, a, b) => {
        const gx = a % w, gy = b % h;
        blocked[gy * w + gx] = 0;
        const dj = new GridDijkstra(new GridGraph(w, h, blocked));
        expect(dj.run(gx, gy)).toBe('ok');
        const ref = referenceDistances(w, h, blocked, gx, gy);
        const field = dj.field();
        for (let i = 0; i < w * h; i++) {
          if (ref[i] === Infinity) expect(field[i]).toBe(Infinity);
          else expect(field[i]).toBeCloseTo(ref[i], 9);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('stops at a deadline', () => {
    const dj = new GridDijkstra(new GridGraph(300, 300, new Uint8Array(300 * 300)));
    expect(dj.run(0, 0, { deadline: performance.now() - 1 })).toBe('timeout');
    expect(dj.run(0, 0, { maxExpansions: 5 })).toBe('timeout');
    expect(dj.run(0, 0)).toBe('ok');
    expect(dj.distance(299, 0)).toBe(299);
  });
});
