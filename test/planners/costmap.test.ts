import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_VEHICLE, DistanceTransform, Footprint, buildCostmap } from '../../planners/index.js';
import type { OccupancyGrid } from '../../types/index.js';

function grid(width: number, height: number, logOdds: Float32Array, resolution = 0.2): OccupancyGrid {
  return { timeNs: 5n, frameId: 'world', origin: { x: 0, y: 0, yaw: 0 }, resolution, width, height, logOdds };
}

describe('DistanceTransform', () => {
  it('is the exact Euclidean distance to the nearest source (against brute force)', () => {
    const dt = new DistanceTransform();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.double({ min: 0, max: 0.3, noNaN: true }), fc.integer(), (w, h, density, seed) => {
        let s = seed >>> 0;
        const src = new Uint8Array(w * h).map(() => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296 < density ? 1 : 0));
        const d = dt.compute(w, h, src);
        for (let i = 0; i < w * h; i++) {
          let best = Infinity;
          for (let j = 0; j < w * h; j++) if (src[j]) best = Math.min(best, Math.hypot((i % w) - (j % w), Math.floor(i / w) - Math.floor(j / w)));
          if (best === Infinity) expect(d[i]).toBe(Infinity);
          else expect(d[i]).toBeCloseTo(best, 4);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('buildCostmap', () => {
  it('classifies cells by log-odds and treats unknown as configured', () => {
    const lo = Float32Array.from([-2, 0, 2, 0.5, -0.5, NaN]);
    const a = buildCostmap(grid(6, 1, lo));
    expect(Array.from(a.lethal)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(Array.from(a.unknown)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(a.unknownCost).toBe(1);
    const b = buildCostmap(grid(6, 1, lo), { unknown: 'lethal' });
    expect(Array.from(b.lethal)).toEqual([0, 1, 1, 1, 0, 1]);
    const c = buildCostmap(grid(6, 1, lo), { occupiedLogOdds: 0.4, freeLogOdds: -0.1, unknown: 0 });
    expect(Array.from(c.lethal)).toEqual([0, 0, 1, 1, 0, 1]);
    expect(c.unknownCost).toBe(0);
  });

  it('measures clearance to obstacles and to the map edge', () => {
    const w = 21;
    const lo = new Float32Array(w * w).fill(-2);
    lo[10 * w + 10] = 3;
    const m = buildCostmap(grid(w, w, lo, 0.5));
    expect(m.clearance[10 * w + 10]).toBeCloseTo(-0.5, 6); // the obstacle cell itself
    expect(m.clearance[10 * w + 13]).toBeCloseTo((3 - 1) * 0.5, 6);
    expect(m.clearance[0]).toBeCloseTo(0, 6); // corner cell: the edge is one cell away
    expect(m.clearanceAt(-1, 3)).toBe(-Infinity);
  });

  it('rejects malformed grids and options with clear messages', () => {
    expect(() => buildCostmap(grid(2, 2, new Float32Array(3)))).toThrow(/3 cells, expected 2x2/);
    expect(() => buildCostmap(grid(0, 2, new Float32Array(0)))).toThrow(/positive integers/);
    expect(() => buildCostmap(grid(1, 1, new Float32Array(1), 0))).toThrow(/resolution must be positive/);
    expect(() => buildCostmap(grid(1, 1, new Float32Array(1)), { freeLogOdds: 1, occupiedLogOdds: 0 })).toThrow(/must be below/);
  });
});

describe('Footprint', () => {
  it('flags every pose whose rectangle overlaps an obstacle cell (circles cover the car)', () => {
    const res = 0.2;
    const w = 100;
    const fp = new Footprint(DEFAULT_VEHICLE, 0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: w * w - 1 }), fc.double({ min: 3, max: 17, noNaN: true }), fc.double({ min: 3, max: 17, noNaN: true }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), (obstacle, x, y, yaw) => {
        const lo = new Float32Array(w * w).fill(-2);
        lo[obstacle] = 3;
        const m = buildCostmap(grid(w, w, lo, res));
        // Brute force: does the car rectangle contain any point of the obstacle cell?
        const ox = (obstacle % w) * res;
        const oy = Math.floor(obstacle / w) * res;
        const c = Math.cos(yaw);
        const s = Math.sin(yaw);
        let overlaps = false;
        for (let i = 0; i <= 8 && !overlaps; i++) {
          for (let j = 0; j <= 8 && !overlaps; j++) {
            const px = ox + (i / 8) * res - x;
            const py = oy + (j / 8) * res - y;
            const u = c * px + s * py; // along the car
            const v = -s * px + c * py;
            overlaps = u >= -DEFAULT_VEHICLE.rearOverhang && u <= DEFAULT_VEHICLE.length - DEFAULT_VEHICLE.rearOverhang && Math.abs(v) <= DEFAULT_VEHICLE.width / 2;
          }
        }
        if (overlaps) expect(fp.collides(m, x, y, yaw)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('is free in open space, collides off the map, and validates its shape', () => {
    const m = buildCostmap(grid(100, 100, new Float32Array(100 * 100).fill(-2)));
    const fp = new Footprint(DEFAULT_VEHICLE);
    expect(fp.collides(m, 10, 10, 0.3)).toBe(false);
    expect(fp.collides(m, 0.5, 10, Math.PI)).toBe(true);
    expect(fp.margin(m, 10, 10, 0)).toBeGreaterThan(5);
    expect(() => new Footprint({ ...DEFAULT_VEHICLE, width: 0 })).toThrow(/vehicle width must be positive/);
    expect(() => new Footprint({ ...DEFAULT_VEHICLE, rearOverhang: 9 })).toThrow(/rearOverhang/);
  });
});
