/**
 * Answers "latest message at or before t" for several topics at once from a few recently read
 * time windows. A miss reads one short window around t for all the asked topics in a single
 * pass (one walk over the chunks instead of one per topic), and the frames the page asks for
 * next (stepping, playing, prefetching) come from memory. The window is short because decoding
 * its messages is what costs: 0.5 s of a 10 Hz replay log decodes in a few milliseconds.
 */
import type { DriveMessage } from '../../datasets/drive-log/index.js';
import type { LogReader } from './log-api.js';

export interface WindowOptions {
  /** Nanoseconds read before / after the asked time on a miss. */
  beforeNs: bigint;
  afterNs: bigint;
  /** Bytes kept over all windows (roughly; counted from the buffers under the typed arrays). */
  maxBytes: number;
}

export const defaultWindowOptions: WindowOptions = {
  beforeNs: 100_000_000n,
  afterNs: 400_000_000n,
  maxBytes: 96 * 1024 * 1024,
};

interface Window {
  key: string;
  startNs: bigint;
  endNs: bigint;
  byTopic: Map<string, DriveMessage[]>;
  /** Latest message before startNs, per topic, filled on demand (null = none). */
  before: Map<string, DriveMessage | null>;
  bytes: number;
  /** Buffers already counted in `bytes`. */
  buffers: Set<ArrayBufferLike>;
}

/**
 * Bytes a message keeps alive, counting the buffers under its typed arrays once per window:
 * byte fields are views into the log's chunks, and a view keeps its whole chunk in memory.
 */
function messageBytes(v: unknown, buffers: Set<ArrayBufferLike>, depth = 0): number {
  if (ArrayBuffer.isView(v)) {
    if (buffers.has(v.buffer)) return 0;
    buffers.add(v.buffer);
    return v.buffer.byteLength;
  }
  if (depth > 4 || !v || typeof v !== 'object') return 8;
  let s = 16;
  for (const x of Object.values(v)) s += messageBytes(x, buffers, depth + 1);
  return s;
}

/** Index of the last message with logTimeNs <= t, or -1. */
function lastAtOrBefore(list: DriveMessage[], t: bigint): number {
  let lo = 0;
  let hi = list.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.logTimeNs <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

export class MessageWindows {
  private windows: Window[] = [];
  private loading = new Map<string, Promise<Window>>();
  private readonly opts: WindowOptions;

  constructor(
    private readonly reader: LogReader,
    opts: Partial<WindowOptions> = {},
  ) {
    this.opts = { ...defaultWindowOptions, ...opts };
  }

  /** Bytes the windows keep in memory now (as counted for eviction). */
  get bytes(): number {
    return this.windows.reduce((s, w) => s + w.bytes, 0);
  }

  /** For each topic, its latest message at or before t (undefined when there is none). */
  async at(topics: string[], t: bigint): Promise<Map<string, DriveMessage | undefined>> {
    const key = [...topics].sort().join('\n');
    const w = await this.windowFor(key, topics, t);
    const out = new Map<string, DriveMessage | undefined>();
    for (const topic of topics) {
      const list = w.byTopic.get(topic) ?? [];
      const i = lastAtOrBefore(list, t);
      if (i >= 0) {
        out.set(topic, list[i]);
        continue;
      }
      // Nothing of this topic between the window's start and t: the answer lies before it.
      if (!w.before.has(topic)) {
        const m = w.startNs > 0n ? await this.reader.messageAt(topic, w.startNs - 1n) : undefined;
        w.before.set(topic, m ?? null);
        if (m) w.bytes += messageBytes(m.message, w.buffers);
      }
      out.set(topic, w.before.get(topic) ?? undefined);
    }
    return out;
  }

  private async windowFor(key: string, topics: string[], t: bigint): Promise<Window> {
    const hit = this.windows.findIndex((w) => w.key === key && w.startNs <= t && t <= w.endNs);
    if (hit >= 0) {
      const w = this.windows[hit]!;
      // Most recently used last.
      this.windows.splice(hit, 1);
      this.windows.push(w);
      return w;
    }
    for (const [k, p] of this.loading) {
      const w = await p.catch(() => null);
      if (w && k.startsWith(`${key}\u0000`) && w.startNs <= t && t <= w.endNs) return w;
    }
    const startNs = t > this.opts.beforeNs ? t - this.opts.beforeNs : 0n;
    const endNs = t + this.opts.afterNs;
    const loadKey = `${key}\u0000${startNs}`;
    const p = this.read(key, topics, startNs, endNs);
    this.loading.set(loadKey, p);
    try {
      const w = await p;
      this.windows.push(w);
      this.evict();
      return w;
    } finally {
      this.loading.delete(loadKey);
    }
  }

  private async read(key: string, topics: string[], startNs: bigint, endNs: bigint): Promise<Window> {
    const byTopic = new Map<string, DriveMessage[]>();
    const buffers = new Set<ArrayBufferLike>();
    let bytes = 0;
    for await (const m of this.reader.messages({ topics, startNs, endNs })) {
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push(m);
      bytes += messageBytes(m.message, buffers);
    }
    return { key, startNs, endNs, byTopic, before: new Map(), bytes, buffers };
  }

  private evict(): void {
    let total = this.bytes;
    while (this.windows.length > 1 && total > this.opts.maxBytes) {
      total -= this.windows.shift()!.bytes;
    }
  }
}
