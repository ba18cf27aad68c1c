/**
 * `grokdrive plan grid --map <file.map> --start x,y --goal x,y [--json]`: one grid query (jump
 * point search, optimal) on a Moving AI map (x = column, y = row, as in the scenario files).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GridGraph, GridJps, cellPairs, parseMovingAiMap } from '../../planners/index.js';

export const summary = 'plan one path: grid --map <file.map> --start x,y --goal x,y [--json]';

const USAGE = 'usage: grokdrive plan grid --map <file.map> --start x,y --goal x,y [--json]';

function cell(name: string, text: string | undefined): [number, number] {
  if (!text) throw new Error(`plan grid: --${name} x,y is required\n${USAGE}`);
  const m = /^\s*(-?\d+)\s*,\s*(-?\d+)\s*$/.exec(text);
  if (!m) throw new Error(`plan grid: --${name} must be two integers x,y (column,row), got '${text}'`);
  return [Number(m[1]), Number(m[2])];
}

export async function run(args: string[]): Promise<number> {
  const [mode, ...rest] = args;
  if (!mode || mode === '--help' || mode === '-h') {
    console.log(USAGE);
    return mode ? 0 : 1;
  }
  if (mode !== 'grid') {
    console.error(`grokdrive plan: unknown planner '${mode}' (available: grid)\n${USAGE}`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      map: { type: 'string' },
      start: { type: 'string' },
      goal: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.map) throw new Error(`plan grid: --map <file.map> is required\n${USAGE}`);
  const [sx, sy] = cell('start', values.start);
  const [gx, gy] = cell('goal', values.goal);
  let text: string;
  try {
    text = await readFile(values.map, 'utf8');
  } catch (err) {
    throw new Error(`cannot read map ${values.map}: ${(err as Error).message}`);
  }
  const map = parseMovingAiMap(text, values.map);
  const graph = new GridGraph(map.width, map.height, map.blocked);
  let result;
  try {
    result = new GridJps(graph).search(sx, sy, gx, gy);
  } catch (err) {
    throw new Error(`${values.map}: ${(err as Error).message}`);
  }
  if (result.status !== 'ok') {
    if (values.json) console.log(JSON.stringify({ length: null, path: [], status: result.status }));
    else console.error(`${values.map}: no path from (${sx},${sy}) to (${gx},${gy})`);
    return 1;
  }
  const path = cellPairs(result.cells);
  if (values.json) console.log(JSON.stringify({ length: result.length, path }));
  else console.log(`length ${result.length.toFixed(6)} over ${path.length} cells: ${path.map(([x, y]) => `${x},${y}`).join(' ')}`);
  return 0;
}
