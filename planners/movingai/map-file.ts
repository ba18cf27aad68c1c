/**
 * Moving AI `.map` files: a header (`type octile`, `height H`, `width W`, `map`) then H rows of
 * W characters. `.`, `G` and `S` are passable; `@`, `O`, `T` (trees) and `W` (water) are
 * blocked here. Accepts CRLF line endings and a missing final newline.
 */
export interface MovingAiMap {
  /** File the map came from, for messages. */
  source: string;
  width: number;
  height: number;
  /** 1 = blocked, row-major, row 0 at the top (y = row, x = column as in the scenarios). */
  blocked: Uint8Array;
}

const PASSABLE = new Set(['.', 'G', 'S']);
const BLOCKED = new Set(['@', 'O', 'T', 'W']);

export function parseMovingAiMap(text: string, source = '<map>'): MovingAiMap {
  const lines = text.split(/\r?\n/);
  let height = -1;
  let width = -1;
  let type = '';
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line === 'map') break;
    const m = /^(\w+)\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`${source}:${i + 1}: unexpected header line '${line}' (expected type/height/width/map)`);
    const [, key, value] = m;
    if (key === 'type') type = value;
    else if (key === 'height' || key === 'width') {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${source}:${i + 1}: ${key} must be a positive integer, got '${value}'`);
      if (key === 'height') height = n;
      else width = n;
    } else throw new Error(`${source}:${i + 1}: unknown header key '${key}'`);
  }
  if (i >= lines.length) throw new Error(`${source}: no 'map' line: not a Moving AI map file`);
  if (type !== 'octile') throw new Error(`${source}: map type '${type || '(missing)'}' is not supported (expected 'octile')`);
  if (height < 0 || width < 0) throw new Error(`${source}: header lacks ${height < 0 ? 'height' : 'width'}`);
  const blocked = new Uint8Array(width * height);
  let rows = lines.length - i - 1;
  while (rows > 0 && lines[i + rows].trim() === '') rows--;
  if (rows < height) throw new Error(`${source}: has ${rows} map rows, header says height ${height}`);
  for (let y = 0; y < height; y++) {
    const lineNo = i + 2 + y;
    const row = lines[i + 1 + y];
    const r = row.endsWith('\r') ? row.slice(0, -1) : row;
    if (r.length !== width) throw new Error(`${source}:${lineNo}: row ${y} has ${r.length} cells, header says width ${width}`);
    for (let x = 0; x < width; x++) {
      const c = r[x];
      if (PASSABLE.has(c)) continue;
      if (BLOCKED.has(c)) blocked[y * width + x] = 1;
      else throw new Error(`${source}:${lineNo}: unknown terrain '${c}' at column ${x}`);
    }
  }
  for (let k = i + 1 + height; k < lines.length; k++) {
    if (lines[k].trim() !== '') throw new Error(`${source}:${k + 1}: extra content after ${height} map rows`);
  }
  return { source, width, height, blocked };
}
