import { describe, expect, it } from 'vitest';
import { Ground, Prng, SyntheticWorld, generateRoadNetwork } from '../../datasets/synthetic/index.js';

describe('synthetic world', () => {
  it('Prng is reproducible per seed and uniform enough', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 2000 }, () => a.next());
    expect(xs.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => b.next()));
    expect(xs[0]).not.toBe(c.next());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('builds a connected street grid without dead ends, with roads and sidewalks where expected', () => {
    const roads = generateRoadNetwork(new Prng(9));
    for (const n of roads.nodes) expect(n.edges.length).toBeGreaterThanOrEqual(2);
    const e = roads.edges[0];
    const mid = e.line.poseAt(e.line.length / 2);
    expect(roads.groundAt(mid.x, mid.y) === Ground.road || roads.groundAt(mid.x, mid.y) === Ground.lanePaint).toBe(true);
    const side = roads.halfWidth + roads.geometry.sidewalkWidth / 2;
    const sx = mid.x - Math.sin(mid.yaw) * side;
    const sy = mid.y + Math.cos(mid.yaw) * side;
    expect(roads.groundAt(sx, sy)).toBe(Ground.sidewalk);
  });

  it('drives the ego along its lane at street speeds, smoothly', () => {
    const world = new SyntheticWorld({ seed: 21, seconds: 30 });
    let prev = world.egoPose(0);
    let prevSpeed = 0;
    for (let k = 1; k <= 300; k++) {
      const t = k / 10;
      const p = world.egoPose(t);
      const speed = Math.hypot(p.x - prev.x, p.y - prev.y) * 10;
      expect(speed).toBeGreaterThan(1);
      expect(speed).toBeLessThan(9.5);
      if (k > 1) expect(Math.abs(speed - prevSpeed)).toBeLessThan(0.5); // < 5 m/s^2 between frames
      // Always on the road surface.
      const g = world.town.roads.groundAt(p.x, p.y);
      expect(g === Ground.road || g === Ground.lanePaint).toBe(true);
      prev = p;
      prevSpeed = speed;
    }
  });

  it('gives different towns for different seeds', () => {
    const a = new SyntheticWorld({ seed: 1, seconds: 5 });
    const b = new SyntheticWorld({ seed: 2, seconds: 5 });
    expect(a.town.statics.count).not.toBe(b.town.statics.count);
    expect(() => new SyntheticWorld({ seed: -1, seconds: 5 })).toThrow(/seed/);
  });
});
