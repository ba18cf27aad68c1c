/**
 * The viewer's server on real drive logs written with DriveWriter: the API answers from the
 * log's index, the page's folder is the only thing served, and only on the loopback interface.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { topics } from '../../types/topics.js';
import { decodeBundle } from '../../viz/app/src/bundle.js';
import { encodeBundle } from '../../viz/server/bundle.js';
import { startViewServer, type ViewServer } from '../../viz/server/view-server.js';
import { FRAME_NS, START_NS, writeSyntheticDrive } from './drive-fixtures.js';

interface Msg {
  topic: string;
  logTimeNs: bigint;
  schemaName: string;
  message: Record<string, unknown>;
  unchanged?: boolean;
}

let dir: string;
let appDir: string;
let logPath: string;
let server: ViewServer;

/** A request sent byte for byte as given (fetch would normalise `..` away). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function getBundle<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, server.url));
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-grokdrive-bundle');
  return decodeBundle<T>(await res.arrayBuffer());
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-view-'));
  // A stand-in page folder, so these tests do not need the Vite build.
  appDir = join(dir, 'app');
  await mkdir(join(appDir, 'assets'), { recursive: true });
  await writeFile(join(appDir, 'index.html'), '<!doctype html><title>viewer</title>');
  await writeFile(join(appDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'outside the app folder');
  await symlink(join(dir, 'secret.txt'), join(appDir, 'assets', 'link.txt'));
  logPath = join(dir, 'drive.mcap');
  await writeSyntheticDrive(logPath, { frames: 40, engineOutputs: true });
  server = await startViewServer({ logPath, appDir });
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('view server API', () => {
  it('summarises the log: time span and topics with counts', async () => {
    const s = await (await fetch(new URL('api/summary', server.url))).json();
    expect(s.file).toBe('drive.mcap');
    expect(BigInt(s.startNs)).toBe(START_NS);
    expect(BigInt(s.endNs)).toBe(START_NS + 39n * FRAME_NS);
    const byTopic = Object.fromEntries(s.topics.map((t: { topic: string; messageCount: number }) => [t.topic, t.messageCount]));
    expect(byTopic[topics.cameraImage('image_02')]).toBe(40);
    expect(byTopic[topics.egoPose]).toBe(40);
    expect(byTopic[topics.frameResult]).toBe(40);
    // Dropped frames (5, 22, 39) have no grid.
    expect(byTopic[topics.occupancy]).toBe(37);
  });

  it('returns messages by topic and time range, decoded, in time order', async () => {
    const all = await getBundle<{ messages: Msg[] }>(`api/messages?topics=${topics.egoPose}`);
    expect(all.messages).toHaveLength(40);
    expect(all.messages.map((m) => m.logTimeNs)).toEqual(Array.from({ length: 40 }, (_, i) => START_NS + BigInt(i) * FRAME_NS));
    expect(all.messages[3]!.message.child_frame_id).toBe('base_link');
    const start = START_NS + 10n * FRAME_NS;
    const end = START_NS + 14n * FRAME_NS;
    const some = await getBundle<{ messages: Msg[] }>(`api/messages?topics=${topics.egoPose},${topics.frameResult}&start=${start}&end=${end}`);
    expect(some.messages).toHaveLength(10);
    expect(some.messages.every((m) => m.logTimeNs >= start && m.logTimeNs <= end)).toBe(true);
    const fr = some.messages.find((m) => m.topic === topics.frameResult)!;
    expect((fr.message as unknown as { index: number }).index).toBe(10);
  });

  it('answers the latest message at or before a time, with the same bytes as the log', async () => {
    const reader = await DriveReader.open(logPath);
    try {
      const image = topics.cameraImage('image_02');
      // Between frames 20 and 21: frame 20's image.
      const t = START_NS + 20n * FRAME_NS + FRAME_NS / 2n;
      const at = await getBundle<{ messages: Record<string, Msg | null> }>(`api/at?t=${t}&topics=${image},${topics.occupancy}`);
      const m = at.messages[image]!;
      expect(m.logTimeNs).toBe(START_NS + 20n * FRAME_NS);
      const expected = (await reader.messageAt(image, t))!.message as { data: Uint8Array };
      expect(Buffer.from(m.message.data as Uint8Array).equals(Buffer.from(expected.data))).toBe(true);
      // The grid arrives as int8 percent-occupied bytes (-1 unknown), free and occupied both present.
      const grid = at.messages[topics.occupancy]!.message;
      const data = grid.data as Uint8Array;
      expect(data.byteLength).toBe(160 * 160);
      const percent = new Int8Array(data.buffer, data.byteOffset, data.byteLength);
      expect(percent.some((p) => p >= 0 && p < 25)).toBe(true);
      expect(percent.some((p) => p > 75)).toBe(true);

      // Frame 22 was dropped: its grid is frame 21's.
      const dropped = await getBundle<{ messages: Record<string, Msg | null> }>(`api/at?t=${START_NS + 22n * FRAME_NS}&topics=${topics.occupancy}`);
      expect(dropped.messages[topics.occupancy]!.logTimeNs).toBe(START_NS + 21n * FRAME_NS);
      // Before the log starts there is nothing.
      const before = await getBundle<{ messages: Record<string, Msg | null> }>(`api/at?t=${START_NS - 1n}&topics=${image}`);
      expect(before.messages[image]).toBeNull();
    } finally {
      await reader.close();
    }
  });

  it('does not resend a message the page says it holds', async () => {
    const t = START_NS + 30n * FRAME_NS;
    const at = await getBundle<{ messages: Record<string, Msg>; }>(`api/at?t=${t}&topics=${topics.occupancy},${topics.egoPose}&known=${topics.occupancy}@${t}`);
    expect(at.messages[topics.occupancy]).toEqual({ topic: topics.occupancy, logTimeNs: t, unchanged: true });
    expect(at.messages[topics.egoPose]!.message).toBeTruthy();
  });

  it('rejects bad queries with a reason', async () => {
    const cases: [string, number, RegExp][] = [
      ['api/at?t=12&topics=/no/such', 404, /no such topic/],
      ['api/at?topics=/ego/pose', 400, /t is required/],
      ['api/at?t=1.5&topics=/ego/pose', 400, /integer number of nanoseconds/],
      ['api/messages', 400, /topics is required/],
      ['api/messages?topics=/ego/pose&start=9&end=3', 400, /end is before start/],
      ['api/nothing', 404, /no API endpoint/],
    ];
    for (const [path, status, reason] of cases) {
      const res = await fetch(new URL(path, server.url));
      expect(res.status, path).toBe(status);
      expect((await res.json()).error, path).toMatch(reason);
    }
  });
});

describe('view server boundaries', () => {
  it('serves the page and its assets', async () => {
    const index = await rawGet(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>viewer</title>');
    const asset = await fetch(new URL('assets/app.js', server.url));
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses path traversal in every spelling', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/package.json',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/link.txt',
      '/%00index.html',
      '/%zz',
      `/${'..%2f'.repeat(12)}etc/passwd`,
      '//etc/passwd',
      'http://127.0.0.1/../secret.txt',
    ];
    for (const path of attempts) {
      const res = await rawGet(server.port, path);
      expect([400, 403, 404], `${path} -> ${res.status}`).toContain(res.status);
      expect(res.body, path).not.toContain('outside the app folder');
      expect(res.body, path).not.toContain('"name"');
      expect(res.body, path).not.toContain('root:');
    }
  });

  it('answers only GET and HEAD, and only for its own loopback host name', async () => {
    expect((await rawGet(server.port, '/', {}, 'POST')).status).toBe(405);
    expect((await rawGet(server.port, '/api/summary', { host: 'attacker.example' })).status).toBe(421);
    expect((await rawGet(server.port, '/api/summary', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('listens on the loopback interface only', async () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // a machine without a non-loopback address has nothing more to check
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: external.address, port: server.port });
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(outcome).not.toBe('connected');
  });

  it('says clearly when the page is not built', async () => {
    await expect(startViewServer({ logPath, appDir: join(dir, 'no-such-app') })).rejects.toThrow(/npm run build/);
  });

  it('says clearly when the port is taken', async () => {
    await expect(startViewServer({ logPath, appDir, port: server.port })).rejects.toThrow(/port is in use/);
  });

  it('says clearly when the log cannot be read', async () => {
    await writeFile(join(dir, 'junk.mcap'), 'not an mcap file at all');
    await expect(startViewServer({ logPath: join(dir, 'junk.mcap'), appDir })).rejects.toThrow(/junk\.mcap/);
  });
});

describe('bundle format', () => {
  it('round-trips typed arrays in place, bigints and nested values', () => {
    const f = new Float32Array([1.5, -2, 3.25]);
    const value = { t: 123456789012345678n, a: [new Uint8Array([1, 2, 3]), { f }], s: 'x', n: null };
    const buf = encodeBundle(value);
    const back = decodeBundle<typeof value>(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    expect(back.t).toBe(value.t);
    expect([...(back.a[0] as Uint8Array)]).toEqual([1, 2, 3]);
    expect((back.a[1] as { f: Float32Array }).f).toBeInstanceOf(Float32Array);
    expect([...(back.a[1] as { f: Float32Array }).f]).toEqual([1.5, -2, 3.25]);
    expect(back.s).toBe('x');
    expect(back.n).toBeNull();
  });
});

describe('grokdrive view', () => {
  const cli = join(process.cwd(), 'dist', 'bin', 'grokdrive.js');

  beforeAll(() => {
    // `npm test` builds first; a lone run of this file may not have.
    if (!existsSync(join(process.cwd(), 'dist', 'bin', 'commands', 'view.js'))) {
      execFileSync(join(process.cwd(), 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { stdio: 'ignore' });
    }
  });

  it('prints the URL, serves the log, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'view', logPath, '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) resolve(m[0]);
        });
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => reject(new Error(`grokdrive view exited with ${code}: ${err}`)));
      });
      const s = await (await fetch(new URL('api/summary', url))).json();
      expect(s.file).toBe('drive.mcap');
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('explains a missing log file', async () => {
    const child = spawn(process.execPath, [cli, 'view', join(dir, 'missing.mcap'), '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(err).toContain('missing.mcap');
  });
});
