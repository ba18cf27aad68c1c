/** Where a worker thread's compiled script lies (workers run JavaScript: dist/ when running from sources). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../datasets/data-root.js';

export function workerScript(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const beside = join(here, '..', name);
  if (here.endsWith('.js') && existsSync(beside)) return beside;
  const built = join(repoRoot(), 'dist', 'engine', 'worker', name);
  if (existsSync(built)) return built;
  throw new Error(`${built} not found; run \`npm run build\` first`);
}
