/**
 * `npm run bench`: runs every benchmark in bench/ in turn. Each bench file exports
 * `run(): Promise<void>` and prints its own figures (ratios against a peer measured in the
 * same run). `npm run bench -- <name>` runs only the named ones.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const wanted = process.argv.slice(2);
const names = (await readdir(here))
  .filter((f) => f.endsWith('.bench' + ext))
  .map((f) => f.slice(0, -('.bench' + ext).length))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();
if (names.length === 0) {
  console.error(`no benchmarks match ${wanted.join(', ') || '(any)'}`);
  process.exitCode = 1;
}
for (const name of names) {
  console.log(`\n== bench ${name} ==`);
  const mod = (await import(join(here, name + '.bench' + ext))) as { run(): Promise<void> };
  await mod.run();
}
