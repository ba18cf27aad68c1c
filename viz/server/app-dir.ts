/** Where the built page lives: viz/app/dist of the package, from source or from dist/. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultAppDir(): string {
  // viz/server/app-dir.ts (source) or dist/viz/server/app-dir.js (built): walk up to the package.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'viz', 'app', 'dist');
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'viz', 'app'))) return candidate;
    dir = resolve(dir, '..');
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'app', 'dist');
}
