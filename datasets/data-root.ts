/**
 * Where the shared real-data fixtures live: $GROKDRIVE_DATA, or ../shared/data beside the
 * repository. Code never copies this data into the repo; it reads it from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with grokdrive's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'grokdrive') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the grokdrive repository root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export function dataRoot(): string {
  return resolve(process.env.GROKDRIVE_DATA ?? join(repoRoot(), '..', 'shared', 'data'));
}

/** A path inside the data root, e.g. dataPath('kitti-raw', '2011_09_26_drive_0001_sync'). */
export function dataPath(...parts: string[]): string {
  return join(dataRoot(), ...parts);
}
