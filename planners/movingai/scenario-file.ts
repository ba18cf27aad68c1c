/**
 * Moving AI `.map.scen` files: `version 1` (tab-separated) or `version 1.0` (whitespace), then
 * one query per line: bucket, map, width, height, startX, startY, goalX, goalY, optimalLength.
 * Blank lines are skipped; CRLF is accepted.
 */
export interface Scenario {
  bucket: number;
  /** Map file as written in the scenario (a bare name or a path); match on its base name. */
  map: string;
  width: number;
  height: number;
  startX: number;
  startY: number;
  goalX: number;
  goalY: number;
  optimalLength: number;
  /** How far a correct length may differ from optimalLength, given how the file rounds it. */
  tolerance: number;
}

export function parseScenarios(text: string, source = '<scen>'): Scenario[] {
  const lines = text.split(/\r?\n/);
  const out: Scenario[] = [];
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (first) {
      first = false;
      const v = /^version\s+(\S+)$/.exec(line);
      if (v) {
        if (!/^1(\.0+)?$/.test(v[1])) throw new Error(`${source}:${i + 1}: scenario version ${v[1]} is not supported (expected 1 or 1.0)`);
        continue;
      }
    }
    const fields = line.includes('\t') ? line.split('\t').map((f) => f.trim()) : line.split(/\s+/);
    if (fields.length !== 9) throw new Error(`${source}:${i + 1}: expected 9 fields, got ${fields.length}: '${line}'`);
    const ints = [0, 2, 3, 4, 5, 6, 7].map((k) => Number(fields[k]));
    if (ints.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new Error(`${source}:${i + 1}: bucket, size and coordinates must be non-negative integers: '${line}'`);
    }
    const opt = Number(fields[8]);
    if (!Number.isFinite(opt) || opt < 0) throw new Error(`${source}:${i + 1}: optimal length '${fields[8]}' is not a number`);
    const [bucket, width, height, startX, startY, goalX, goalY] = ints;
    if (startX >= width || goalX >= width || startY >= height || goalY >= height) {
      throw new Error(`${source}:${i + 1}: start or goal lies outside the ${width}x${height} map`);
    }
    out.push({ bucket, map: fields[1], width, height, startX, startY, goalX, goalY, optimalLength: opt, tolerance: tolerance(fields[8], opt) });
  }
  if (first) throw new Error(`${source}: empty scenario file`);
  return out;
}

/**
 * Relative 1e-5, widened to half a unit of the printed precision: files print either a fixed
 * number of decimals or about 6 significant digits (lengths >= 1000 rounded to 0.01).
 */
export function tolerance(printed: string, value: number): number {
  const dot = printed.indexOf('.');
  const decimals = dot < 0 ? 0 : printed.length - dot - 1;
  const sigUnit = value > 0 ? 10 ** (Math.floor(Math.log10(value)) - 5) : 1e-5;
  const unit = Math.min(10 ** -decimals, sigUnit);
  return Math.max(1e-5 * value, 0.5 * unit) + 1e-9;
}
