/** `grokdrive view <file.mcap>`: serve the visual debugger for a drive log on 127.0.0.1. */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startViewServer } from '../../viz/server/view-server.js';

export const summary = 'open a drive log in the 3D visual debugger (local web page)';

const USAGE = `usage: grokdrive view <file.mcap> [--port N] [--no-open]

Serves the visual debugger for the log on http://127.0.0.1:PORT/ and prints the URL.
  --port N    listen on port N (default: a free port)
  --no-open   do not open a browser (the default when the output is not a terminal)
Stop with Ctrl-C.`;

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`grokdrive view: --port must be an integer from 0 to 65535, got '${values.port}'`);
      return 2;
    }
  }
  const server = await startViewServer({ logPath: positionals[0]!, port });
  console.log(server.url);

  const open = !values['no-open'] && process.stdout.isTTY;
  if (open) {
    const opener = onPath('xdg-open');
    if (opener) spawn(opener, [server.url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
    else console.error('grokdrive view: no xdg-open on PATH; open the URL above in a browser');
  }

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
