/**
 * Serving the built page: only regular files inside the app folder. Any request path that
 * decodes to a parent reference, a backslash, a NUL, or that resolves (through links too)
 * outside the folder is refused.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type StaticLookup = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps a raw URL path (still percent-encoded, without the query) to a file in `appDir`
 * (an absolute, real path).
 */
export async function resolveStatic(appDir: string, rawPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, status: 400, reason: 'bad path' };
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 403, reason: 'path leaves the app folder' };
  if (segments.length === 0) segments.push('index.html');
  const candidate = join(appDir, ...segments);
  if (!candidate.startsWith(appDir + sep)) return { ok: false, status: 403, reason: 'path leaves the app folder' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (!real.startsWith(appDir + sep)) return { ok: false, status: 403, reason: 'path leaves the app folder' };
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return { ok: false, status: 404, reason: 'not found' };
  return { ok: true, file: real, contentType: TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}
