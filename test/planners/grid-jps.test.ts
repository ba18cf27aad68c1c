import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dataPath } from '../../datasets/data-root.js';
import { GridAStar, GridGraph, GridJps, cellPathLength, findScenarioSets, parseMovingAiMap } from '../../planners/index.js';

/** Seeded grids from 1x1 to 100x100 (several 32-bit words per line): scattered cells and boxes. */
const gridArb = fc
  .record({
    w: fc.integer({ min: 1, max: 100 }),
    h: fc.integer({ min: 1, max: 100 }),
    density: fc.double({ min: 0, max: 0.4, noNaN: true }),
    boxes: fc.integer({ min: 0, max: 30 }),
    seed: fc.integer(),
  })
  .map(({ w, h, density, boxes, seed }) => {
    let s = seed >>> 0;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
    const blocked = new Uint8Array(w * h).map(() => (rnd() < density ? 1 : 0));
    for (let b = 0; b < boxes; b++) {
      const x0 = Math.floor(rnd() * w), y0 = Math.floor(rnd() * h);
      const bw = 1 + Math.floor(rnd() * 12), bh = 1 + Math.floor(rnd() * 12);
      for (let y = y0; y < Math.min(h, y0 + bh); y++) for (let x = x0; x < Math.min(w, x0 + bw); x++) blocked[y * w + x] = 1;
    }
    return { w, h, blocked };
  });

/** Checks a path: starts and ends right, 8-connected steps over free cells, no corner cutting. */
function expectLegalPath(cells: Int32Array, w: number, blocked: ArrayLike<number>, sx: number, sy: number, gx: number, gy: number): void {
  expect([cells[0], cells[1]]).toEqual([sx, sy]);
  expect([cells[cells.length - 2], cells[cells.length - 1]]).toEqual([gx, gy]);
  // One plain loop, one assertion: paths of thousands of cells stay cheap to check.
  let problem = '';
  for (let k = 2; k < cells.length && !problem; k += 2) {
    const dx = cells[k] - cells[k - 2];
    const dy = cells[k + 1] - cells[k - 1];
    const at = `step ${k / 2} to (${cells[k]},${cells[k + 1]})`;
    if (Math.max(Math.abs(dx), Math.abs(dy)) !== 1) problem = `${at} is not to a neighbour`;
    else if (blocked[cells[k + 1] * w + cells[k]]) problem = `${at} enters a blocked cell`;
    else if (dx !== 0 && dy !== 0 && (blocked[cells[k - 1] * w + cells[k]] || blocked[cells[k + 1] * w + cells[k - 2]])) problem = `${at} cuts a corner`;
  }
  expect(problem).toBe('');
}

describe('GridJps', () => {
  it('finds the same lengths as grid A* with legal full-cell paths (random grids up to 100x100, one reused instance)', () => {
    fc.assert(
      fc.property(gridArb, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }), ({ w, h, blocked }, queries) => {
        const free: number[] = [];
        for (let i = 0; i < w * h; i++) if (!blocked[i]) free.push(i);
        if (free.length === 0) return;
        const graph = new GridGraph(w, h, blocked);
        const jps = new GridJps(graph);
        const astar = new GridAStar(graph);
        for (const [a, b] of queries) {
          const s = free[a % free.length], g = free[b % free.length];
          const sx = s % w, sy = Math.floor(s / w), gx = g % w, gy = Math.floor(g / w);
          const ref = astar.search(sx, sy, gx, gy);
          const r = jps.search(sx, sy, gx, gy);
          expect(r.status).toBe(ref.status);
          if (ref.status !== 'ok') continue;
          expect(r.length).toBeCloseTo(ref.length, 9);
          expect(cellPathLength(r.cells)).toBeCloseTo(ref.length, 9);
          expectLegalPath(r.cells, w, blocked, sx, sy, gx, gy);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('scans across 32-cell words: long corridors, goals on the scan line, forced cells at word edges', () => {
    for (const w of [31, 32, 33, 63, 64, 65, 97]) {
      // Three rows; the middle one is open, the others have gaps at every 31st cell.
      const blocked = new Uint8Array(w * 3);
      for (let x = 0; x < w; x++) {
        blocked[x] = x % 31 === 5 ? 0 : 1;
        blocked[2 * w + x] = x % 31 === 30 ? 0 : 1;
      }
      const graph = new GridGraph(w, 3, blocked);
      const jps = new GridJps(graph);
      const astar = new GridAStar(graph);
      for (let sx = 0; sx < w; sx += 7) {
        for (let gx = 0; gx < w; gx++) {
          for (const gy of [0, 1, 2]) {
            if (blocked[gy * w + gx]) continue;
            const r = jps.search(sx, 1, gx, gy);
            const ref = astar.search(sx, 1, gx, gy);
            expect(r.status, `${w}: (${sx},1)->(${gx},${gy})`).toBe(ref.status);
            expect(r.length).toBeCloseTo(ref.length, 9);
            if (r.status === 'ok') expectLegalPath(r.cells, w, blocked, sx, 1, gx, gy);
          }
        }
      }
      // The same along columns (the transposed copies).
      const tb = new Uint8Array(w * 3);
      for (let y = 0; y < w; y++) for (let x = 0; x < 3; x++) tb[y * 3 + x] = blocked[x * w + y];
      const tg = new GridGraph(3, w, tb);
      const tj = new GridJps(tg);
      const ta = new GridAStar(tg);
      for (let sy = 0; sy < w; sy += 5) {
        for (let gy = 0; gy < w; gy += 3) {
          for (const gx of [0, 1, 2]) {
            if (tb[gy * 3 + gx]) continue;
            expect(tj.search(1, sy, gx, gy).length).toBeCloseTo(ta.search(1, sy, gx, gy).length, 9);
          }
        }
      }
    }
  });

  it('start = goal, no corner cutting, unreachable goals', () => {
    expect(new GridJps(new GridGraph(1, 1, [0])).search(0, 0, 0, 0)).toMatchObject({ status: 'ok', length: 0, cells: Int32Array.from([0, 0]) });
    // . @
    // @ .
    expect(new GridJps(new GridGraph(2, 2, [0, 1, 1, 0])).search(0, 0, 1, 1).status).toBe('no_path');
    const wall = new GridJps(new GridGraph(5, 5, Uint8Array.from({ length: 25 }, (_, i) => (i % 5 === 2 ? 1 : 0))));
    expect(wall.search(0, 0, 4, 4)).toMatchObject({ status: 'no_path', length: Infinity });
  });

  it('throws clear errors for a start or goal that is blocked or off the map', () => {
    const jps = new GridJps(new GridGraph(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(() => jps.search(1, 1, 0, 0)).toThrow(/start \(1,1\) is a blocked cell/);
    expect(() => jps.search(0, 0, 5, 0)).toThrow(/goal \(5,0\) is outside the 3x3 map/);
  });

  it('honours the expansion cap and the deadline, and answers afterwards', () => {
    // Rows of walls with alternating gaps: many jump points.
    const n = 200;
    const blocked = new Uint8Array(n * n);
    for (let y = 2; y < n; y += 3) for (let x = 0; x < n; x++) blocked[y * n + x] = (y / 3) % 2 < 1 ? (x === n - 1 ? 0 : 1) : x === 0 ? 0 : 1;
    const jps = new GridJps(new GridGraph(n, n, blocked));
    const capped = jps.search(0, 0, 0, n - 1, { maxExpansions: 10 });
    expect(capped.status).toBe('timeout');
    expect(capped.expansions).toBeLessThanOrEqual(11);
    // A deadline in the past stops the search at its first clock check (every 64 expansions).
    let seed = 7;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
    const field = new Uint8Array(300 * 300).map(() => (rnd() < 0.3 ? 1 : 0));
    field[0] = field[300 * 300 - 1] = 0;
    const late = new GridJps(new GridGraph(300, 300, field)).search(0, 0, 299, 299, { deadline: performance.now() - 1 });
    expect(late.status).toBe('timeout');
    expect(late.expansions).toBeLessThanOrEqual(64);
    const full = jps.search(0, 0, 0, n - 1);
    expect(full.status).toBe('ok');
    expect(full.length).toBeCloseTo(new GridAStar(new GridGraph(n, n, blocked)).search(0, 0, 0, n - 1).length, 9);
  });

  it('follows a changed mask after refresh()', () => {
    const graph = new GridGraph(40, 40, new Uint8Array(1600));
    const jps = new GridJps(graph);
    expect(jps.search(0, 20, 39, 20).length).toBe(39);
    const wall = new Uint8Array(1600);
    for (let y = 0; y < 39; y++) wall[y * 40 + 20] = 1;
    graph.setBlocked(wall);
    jps.refresh();
    const r = jps.search(0, 20, 39, 20);
    expect(r.length).toBeCloseTo(new GridAStar(graph).search(0, 20, 39, 20).length, 9);
    expectLegalPath(r.cells, 40, wall, 0, 20, 39, 20);
  });
});

describe('GridJps on the Moving AI scenarios', () => {
  it('matches the optimal length of 40 scenarios spread over every map, with legal paths', async () => {
    for (const set of await findScenarioSets(dataPath('movingai'))) {
      const map = parseMovingAiMap(readFileSync(set.mapFile, 'utf8'), set.mapFile);
      const jps = new GridJps(new GridGraph(map.width, map.height, map.blocked));
      const n = set.scenarios.length;
      for (let j = 0; j < 40; j++) {
        const s = set.scenarios[Math.floor(((j + 0.5) * n) / 40)];
        const r = jps.search(s.startX, s.startY, s.goalX, s.goalY);
        const what = `${set.mapFile} (${s.startX},${s.startY})->(${s.goalX},${s.goalY})`;
        expect(Math.abs(r.length - s.optimalLength), what).toBeLessThanOrEqual(s.tolerance);
        expect(Math.abs(cellPathLength(r.cells) - s.optimalLength), what).toBeLessThanOrEqual(s.tolerance);
        expectLegalPath(r.cells, map.width, map.blocked, s.startX, s.startY, s.goalX, s.goalY);
      }
    }
  });
});
