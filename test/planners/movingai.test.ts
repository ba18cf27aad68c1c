import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { GridAStar, GridGraph, findScenarioSets, loadPathfindingPeer, parseMovingAiMap, parseScenarios, runMovingAiBenchmark } from '../../planners/index.js';
import { tolerance } from '../../planners/movingai/scenario-file.js';

const dir = dataPath('movingai');

describe('Moving AI map files', () => {
  it('reads CRLF rows, a missing final newline, and T as blocked', () => {
    const m = parseMovingAiMap('type octile\r\nheight 2\r\nwidth 3\r\nmap\r\n.T@\r\nGS.', 'x.map');
    expect([m.width, m.height]).toEqual([3, 2]);
    expect(Array.from(m.blocked)).toEqual([0, 1, 1, 0, 0, 0]);
  });

  it('names the file and line of malformed maps', () => {
    expect(() => parseMovingAiMap('type octile\nheight 2\nwidth 3\nmap\n...\n..\n', 'bad.map')).toThrow(/bad\.map:6: row 1 has 2 cells, header says width 3/);
    expect(() => parseMovingAiMap('type octile\nheight 1\nwidth 2\nmap\n.x\n', 'bad.map')).toThrow(/bad\.map:5: unknown terrain 'x'/);
    expect(() => parseMovingAiMap('type octile\nheight 3\nwidth 1\nmap\n.\n', 'bad.map')).toThrow(/has 1 map rows, header says height 3/);
    expect(() => parseMovingAiMap('hello', 'bad.map')).toThrow(/bad\.map:1: unexpected header line/);
    expect(() => parseMovingAiMap('type hex\nheight 1\nwidth 1\nmap\n.\n', 'bad.map')).toThrow(/type 'hex' is not supported/);
    expect(() => parseMovingAiMap('type octile\nheight 0\nwidth 1\nmap\n', 'bad.map')).toThrow(/height must be a positive integer/);
  });

  it('parses every map in the shared data, city CRLF files included', async () => {
    const sets = await findScenarioSets(dir);
    expect(sets.length).toBe(14);
    for (const s of sets) {
      const m = parseMovingAiMap(readFileSync(s.mapFile, 'utf8'), s.mapFile);
      expect(m.width).toBe(s.scenarios[0].width);
      expect(m.height).toBe(s.scenarios[0].height);
    }
  });
});

describe('Moving AI scenario files', () => {
  it('reads version 1 with tabs, version 1.0 with spaces, CRLF and blank lines', () => {
    const v1 = parseScenarios('version 1\r\n0\tmaps/a.map\t4\t4\t0\t0\t3\t3\t4.24264069\r\n\r\n', 's.scen');
    expect(v1).toHaveLength(1);
    expect(v1[0]).toMatchObject({ bucket: 0, map: 'maps/a.map', startX: 0, goalY: 3, optimalLength: 4.24264069 });
    const v10 = parseScenarios('version 1.0\n1 a.map 4 4 0 0 3 3 4.24264\n\n1 a.map 4 4 1 0 3 3 3.82843\n', 's.scen');
    expect(v10.map((s) => s.startX)).toEqual([0, 1]);
  });

  it('names the file and line of malformed scenarios', () => {
    expect(() => parseScenarios('version 1\n0\ta.map\t4\t4\t0\t0\t3\n', 's.scen')).toThrow(/s\.scen:2: expected 9 fields, got 7/);
    expect(() => parseScenarios('version 1\n0\ta.map\t4\t4\t0\t0\t3\t3\tabc\n', 's.scen')).toThrow(/optimal length 'abc' is not a number/);
    expect(() => parseScenarios('version 1\n0\ta.map\t4\t4\t0\t9\t3\t3\t1\n', 's.scen')).toThrow(/outside the 4x4 map/);
    expect(() => parseScenarios('version 2\n', 's.scen')).toThrow(/version 2 is not supported/);
    expect(() => parseScenarios('', 's.scen')).toThrow(/empty scenario file/);
  });

  it('widens the tolerance to the printed precision', () => {
    expect(tolerance('1234.57', 1234.57)).toBeCloseTo(1234.57e-5, 8);
    expect(tolerance('99999.5', 99999.5)).toBeCloseTo(99999.5e-5, 8);
    expect(tolerance('1.5', 1.5)).toBeCloseTo(1.5e-5, 8);
    expect(tolerance('6.24264', 6.24264)).toBeCloseTo(6.24264e-5, 8);
    expect(tolerance('7', 7)).toBeCloseTo(7e-5, 8);
    expect(tolerance('1.00000000', 1)).toBeCloseTo(1e-5, 8);
  });
});

describe('grid A* on the Moving AI scenarios', () => {
  it('matches the optimal length of 25 scenarios spread over every map', async () => {
    for (const set of await findScenarioSets(dir)) {
      const map = parseMovingAiMap(readFileSync(set.mapFile, 'utf8'), set.mapFile);
      const astar = new GridAStar(new GridGraph(map.width, map.height, map.blocked));
      const n = set.scenarios.length;
      for (let j = 0; j < 25; j++) {
        const s = set.scenarios[Math.floor(((j + 0.5) * n) / 25)];
        const r = astar.search(s.startX, s.startY, s.goalX, s.goalY);
        expect(Math.abs(r.length - s.optimalLength), `${set.mapFile} (${s.startX},${s.startY})->(${s.goalX},${s.goalY})`).toBeLessThanOrEqual(s.tolerance);
      }
    }
  });

  it('runs the benchmark with the PathFinding.js peer on a folder laid out like hog2 (scenario names a path)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'movingai-'));
    mkdirSync(join(tmp, 'maps'));
    mkdirSync(join(tmp, 'scen'));
    copyFileSync(join(dir, 'dao', 'arena.map'), join(tmp, 'maps', 'arena.map'));
    const scen = readFileSync(join(dir, 'dao', 'arena.map.scen'), 'utf8');
    // Keep 40 lines and break one on purpose to see it counted.
    const lines = scen.split('\n').slice(0, 41);
    const parts = lines[5].split('\t');
    parts[8] = String(Number(parts[8]) + 1);
    lines[5] = parts.join('\t');
    writeFileSync(join(tmp, 'scen', 'arena.map.scen'), lines.join('\n'));
    const progress: number[] = [];
    const report = await runMovingAiBenchmark(tmp, {
      peer: await loadPathfindingPeer('astar'),
      jpsPeer: await loadPathfindingPeer('jps'),
      peerPerMap: 5,
      onProgress: (d) => progress.push(d),
    });
    expect(report.solver).toBe('jump point search');
    expect(report.problems).toBe(40);
    expect(report.mismatches).toBe(1);
    expect(report.astar.mismatches).toBe(1);
    expect(report.mismatchDetails.map((d) => [d.solver, d.line])).toEqual([['jps', 6], ['astar', 6]]);
    expect(report.peer?.problems).toBe(5);
    expect(report.peer?.name).toBe('PathFinding.js AStarFinder');
    // The broken scenario (the 5th) is one of the 5 sampled (the 5th, 13th, 21st, ...): the
    // peers' correct length disagrees with the altered 'optimal' one.
    expect(report.peer?.disagreements).toBe(1);
    expect(report.speedup).toBeGreaterThan(0);
    expect(report.jpsPeer?.name).toBe('PathFinding.js JumpPointFinder');
    expect(report.jpsPeer?.problems).toBe(5);
    expect(report.jpsPeer?.disagreements).toBe(1);
    expect(report.jpsPeer?.speedup).toBeGreaterThan(0);
    expect(report.astar.speedup).toBeGreaterThan(0);
    expect(report.maps[0].astarMedianMs).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(45);
  });

  it('reports a scenario whose map is missing', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'movingai-'));
    writeFileSync(join(tmp, 'x.map.scen'), 'version 1\n0\tnowhere.map\t4\t4\t0\t0\t1\t1\t1.41421\n');
    await expect(findScenarioSets(tmp)).rejects.toThrow(/map 'nowhere\.map' not found/);
  });
});
