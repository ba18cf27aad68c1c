/**
 * The local server behind `grokdrive view`: listens on the loopback interface only and serves
 * the built page and the API over one drive log (see log-api.ts). Nothing else is reachable:
 * requests for other hosts (DNS rebinding), other methods, or paths outside the page are refused.
 */
import { createReadStream } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { defaultAppDir } from './app-dir.js';
import { ApiError, LogApi, type LogReader } from './log-api.js';
import { resolveStatic } from './static-files.js';

export interface ViewServerOptions {
  /** The drive log to serve. */
  logPath: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Built page; default viz/app/dist of this package. */
  appDir?: string;
}

export interface ViewServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'",
};

function send(res: ServerResponse, status: number, contentType: string, body: Buffer | string, head = false): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': buf.byteLength, 'Cache-Control': 'no-store' });
  res.end(head ? undefined : buf);
}

function refuse(res: ServerResponse, status: number, reason: string): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: reason }));
}

export async function startViewServer(opts: ViewServerOptions): Promise<ViewServer> {
  const appDir = await realpath(opts.appDir ?? defaultAppDir()).catch(() => {
    throw new Error(`the viewer page is not built (${opts.appDir ?? defaultAppDir()} is missing); run \`npm run build\``);
  });
  await access(join(appDir, 'index.html')).catch(() => {
    throw new Error(`the viewer page is not built (${join(appDir, 'index.html')} is missing); run \`npm run build\``);
  });
  const reader = await DriveReader.open(opts.logPath);
  const api = new LogApi(reader as LogReader, opts.logPath);
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `${LOOPBACK}:${port}` && host !== `localhost:${port}`) return refuse(res, 421, `this server answers for ${LOOPBACK}:${port} only`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET and HEAD');
    const raw = req.url ?? '';
    if (!raw.startsWith('/')) return refuse(res, 400, 'bad request target');
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const head = req.method === 'HEAD';

    if (path.startsWith('/api/')) {
      try {
        const r = await api.handle(path, query);
        return send(res, r.status, r.contentType, r.body, head);
      } catch (e) {
        if (e instanceof ApiError) return refuse(res, e.status, e.message);
        return refuse(res, 500, (e as Error).message);
      }
    }
    const found = await resolveStatic(appDir, path);
    if (!found.ok) return refuse(res, found.status, found.reason);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' });
    if (head) return void res.end();
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) refuse(res, 500, e.message);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      void reader.close();
      const why = e.code === 'EADDRINUSE' ? 'the port is in use (choose another with --port, or 0 for a free one)' : e.message;
      reject(new Error(`cannot listen on ${LOOPBACK}:${opts.port ?? 0}: ${why}`));
    });
    server.listen(opts.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await reader.close();
    },
  };
}
