import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { run } from '../../bin/commands/plan.js';

describe('grokdrive plan grid', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the length and the cells of the path as JSON', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    // arena.map.scen: 0 maps/dao/arena.map 49 49 1 12 1 10 2
    const code = await run(['grid', '--map', dataPath('movingai', 'dao', 'arena.map'), '--start', '1,12', '--goal', '1,10', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(String(log.mock.calls[0][0]));
    expect(out).toEqual({ length: 2, path: [[1, 12], [1, 11], [1, 10]] });
  });

  it('gives clear errors for blocked or outside cells and bad arguments', async () => {
    const map = dataPath('movingai', 'dao', 'arena.map');
    await expect(run(['grid', '--map', map, '--start', '0,0', '--goal', '1,10'])).rejects.toThrow(/arena\.map: start \(0,0\) is a blocked cell/);
    await expect(run(['grid', '--map', map, '--start', '1,12', '--goal', '100,10'])).rejects.toThrow(/goal \(100,10\) is outside the 49x49 map/);
    await expect(run(['grid', '--map', map, '--start', '1;12', '--goal', '1,10'])).rejects.toThrow(/--start must be two integers/);
    await expect(run(['grid', '--map', '/nonexistent.map', '--start', '1,1', '--goal', '1,2'])).rejects.toThrow(/cannot read map \/nonexistent\.map/);
  });
});
