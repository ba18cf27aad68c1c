/** Helpers for the engine's worker threads (the model's, the stereo check's, the result log writer's). */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { repoRoot } from '../../datasets/data-root.js';

/**
 * Where a worker's compiled script lies: `name` beside the module at `moduleUrl` (its
 * import.meta.url). Workers run JavaScript, so from the sources that is the same folder under
 * dist/.
 */
export function workerScript(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  const beside = join(dirname(here), name);
  if (here.endsWith('.js') && existsSync(beside)) return beside;
  const built = join(repoRoot(), 'dist', relative(repoRoot(), dirname(here)), name);
  if (existsSync(built)) return built;
  throw new Error(`${built} not found; run \`npm run build\` first`);
}

/**
 * Starts the worker script `script` and waits for its first message, which says whether it is
 * ready ({ ready: true, ... }, returned with the worker). A worker that reports
 * { ready: false, error } is stopped, and `failure(error)` is thrown.
 */
export async function startWorker<First extends { ready: boolean; error?: string }>(
  script: string,
  workerData: unknown,
  failure: (error: string | undefined) => string,
): Promise<{ worker: Worker; first: First }> {
  const worker = new Worker(script, { workerData });
  const first = await new Promise<First>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!first.ready) {
    await worker.terminate();
    throw new Error(failure(first.error));
  }
  return { worker, first };
}

/** Asks a worker to finish (it closes its port on { dispose: true }), and stops it after 2 s if it does not. */
export async function stopWorker(worker: Worker): Promise<void> {
  worker.postMessage({ dispose: true });
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
    worker.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
