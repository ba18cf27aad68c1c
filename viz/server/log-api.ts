/**
 * The viewer's API over one drive log. Every answer is read through the log's summary and
 * indexes (DriveReader), so a request costs the chunks it touches, never the whole file.
 *
 *   GET /api/summary                          JSON: file, startNs, endNs, topics
 *   GET /api/messages?topics=a,b&start=&end=  bundle: { messages: [...] } in log-time order
 *   GET /api/at?t=NS&topics=a,b[&known=a@NS]  bundle: { messages: { topic: latest at or before t } }
 *
 * Times are decimal nanoseconds. `known` names messages the page already holds; when one is
 * still the answer it comes back as { unchanged: true } instead of its bytes.
 */
import { basename } from 'node:path';
import type { DriveReader } from '../../datasets/drive-log/index.js';
import { BUNDLE_CONTENT_TYPE, encodeBundle } from './bundle.js';
import { MessageWindows } from './message-windows.js';

/** What the API needs of a log (DriveReader provides it). */
export type LogReader = Pick<DriveReader, 'summary' | 'messages' | 'messageAt'>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Messages one range request may return (a whole-log request for small topics fits easily). */
const MAX_RANGE_MESSAGES = 200_000;
/** Bytes one range request may return, so a careless query cannot exhaust memory. */
const MAX_RANGE_BYTES = 256 * 1024 * 1024;
const MAX_TOPICS = 32;

function parseTime(value: string | null, name: string): bigint | undefined {
  if (value === null || value === '') return undefined;
  if (!/^-?\d{1,20}$/.test(value)) throw new ApiError(400, `${name} must be an integer number of nanoseconds, got '${value}'`);
  return BigInt(value);
}

function json(value: unknown, status = 200): ApiResponse {
  return { status, contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(value)) };
}

function bundle(value: unknown): ApiResponse {
  return { status: 200, contentType: BUNDLE_CONTENT_TYPE, body: encodeBundle(value) };
}

function byteSize(v: unknown): number {
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + byteSize(x), 0);
  if (v && typeof v === 'object') {
    let s = 0;
    for (const x of Object.values(v)) s += byteSize(x);
    return s;
  }
  return 8;
}

export class LogApi {
  private readonly known: Set<string>;
  private readonly windows: MessageWindows;

  constructor(
    private readonly reader: LogReader,
    private readonly file: string,
  ) {
    this.known = new Set(reader.summary().topics.map((t) => t.topic));
    this.windows = new MessageWindows(reader);
  }

  private topicsParam(q: URLSearchParams): string[] {
    const raw = q.get('topics');
    if (!raw) throw new ApiError(400, 'topics is required (comma-separated topic names)');
    const list = [...new Set(raw.split(',').filter(Boolean))];
    if (list.length > MAX_TOPICS) throw new ApiError(400, `at most ${MAX_TOPICS} topics per request`);
    const unknown = list.filter((t) => !this.known.has(t));
    if (unknown.length) throw new ApiError(404, `no such topic in ${this.file}: ${unknown.join(', ')}`);
    return list;
  }

  async handle(path: string, q: URLSearchParams): Promise<ApiResponse> {
    switch (path) {
      case '/api/summary':
        return this.summary();
      case '/api/messages':
        return this.messages(q);
      case '/api/at':
        return this.at(q);
      default:
        throw new ApiError(404, `no API endpoint ${path}`);
    }
  }

  summary(): ApiResponse {
    const s = this.reader.summary();
    return json({
      file: basename(this.file),
      startNs: s.startNs.toString(),
      endNs: s.endNs.toString(),
      complete: s.complete,
      incompleteBecause: s.incompleteBecause,
      topics: s.topics.map((t) => ({ topic: t.topic, schemaName: t.schemaName, messageCount: t.messageCount })),
    });
  }

  async messages(q: URLSearchParams): Promise<ApiResponse> {
    const topics = this.topicsParam(q);
    const startNs = parseTime(q.get('start'), 'start');
    const endNs = parseTime(q.get('end'), 'end');
    if (startNs !== undefined && endNs !== undefined && endNs < startNs) throw new ApiError(400, 'end is before start');
    const out: unknown[] = [];
    let bytes = 0;
    for await (const m of this.reader.messages({ topics, startNs, endNs })) {
      out.push({ topic: m.topic, logTimeNs: m.logTimeNs, schemaName: m.schemaName, message: m.message });
      bytes += byteSize(m.message);
      if (out.length > MAX_RANGE_MESSAGES || bytes > MAX_RANGE_BYTES) {
        throw new ApiError(413, `the range holds more than ${MAX_RANGE_MESSAGES} messages or ${MAX_RANGE_BYTES >> 20} MiB; ask for a shorter range`);
      }
    }
    return bundle({ messages: out });
  }

  async at(q: URLSearchParams): Promise<ApiResponse> {
    const topics = this.topicsParam(q);
    const t = parseTime(q.get('t'), 't');
    if (t === undefined) throw new ApiError(400, 't is required (nanoseconds)');
    const known = new Map<string, bigint>();
    for (const item of (q.get('known') ?? '').split(',').filter(Boolean)) {
      const at = item.lastIndexOf('@');
      const time = at > 0 ? parseTime(item.slice(at + 1), 'known') : undefined;
      if (time === undefined) throw new ApiError(400, `known entries are topic@nanoseconds, got '${item}'`);
      known.set(item.slice(0, at), time);
    }
    const messages: Record<string, unknown> = {};
    const found = await this.windows.at(topics, t);
    for (const topic of topics) {
      const m = found.get(topic);
      if (!m) messages[topic] = null;
      else if (known.get(topic) === m.logTimeNs) messages[topic] = { topic, logTimeNs: m.logTimeNs, unchanged: true };
      else messages[topic] = { topic, logTimeNs: m.logTimeNs, schemaName: m.schemaName, message: m.message };
    }
    return bundle({ t, messages });
  }
}
