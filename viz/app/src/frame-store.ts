/**
 * Per-frame data, fetched on demand around the cursor and kept in a small LRU cache, decoded
 * ahead (images to ImageBitmaps, grids to log-odds arrays) so a cached frame draws at once.
 * At most two requests are in flight; a frame the user asks for goes before prefetches.
 * Big messages that change rarely (lidar scans, grids of skipped frames) are sent as
 * "unchanged" by the server when the page already holds them.
 */
import { fetchAt, type LogMessage } from './api.js';
import {
  readCompressedImage,
  readGrid,
  readPointCloud,
  readPosesInFrame,
  readRawImage,
  readTrajectory,
  type GridLayerData,
  type PathData,
  type PointCloudData,
  type RawImageMsg,
  type TrajectoryInfo,
} from './foxglove.js';
import type { DriveOverview } from './drive-overview.js';

export interface Timed<T> {
  t: bigint;
  value: T;
}

export interface FrameData {
  index: number;
  t: bigint;
  image: Timed<ImageBitmap> | null;
  imageError: string | null;
  segmentation: Timed<RawImageMsg> | null;
  stereoGround: Timed<RawImageMsg> | null;
  grid: Timed<GridLayerData> | null;
  groundTruthGrid: Timed<GridLayerData> | null;
  plan: Timed<PathData> | null;
  trajectory: Timed<TrajectoryInfo> | null;
  lidar: Timed<PointCloudData> | null;
  /** Milliseconds spent waiting for the server and decoding, for the page's own figures. */
  fetchMs: number;
  decodeMs: number;
}

export type LayerTopicKey = 'image' | 'segmentation' | 'stereoGround' | 'grid' | 'groundTruthGrid' | 'plan' | 'trajectory' | 'lidar';

/** Topics whose last message is reused across frames when unchanged. */
const STICKY: LayerTopicKey[] = ['grid', 'groundTruthGrid', 'lidar'];
const CACHE_FRAMES = 48;
const MAX_IN_FLIGHT = 2;

async function decodeImage(m: LogMessage): Promise<ImageBitmap> {
  const img = readCompressedImage(m.message);
  if (!img) throw new Error(`${m.topic}: image message without data`);
  const type = /png/i.test(img.format) ? 'image/png' : /jpe?g/i.test(img.format) ? 'image/jpeg' : '';
  return createImageBitmap(new Blob([img.data as Uint8Array<ArrayBuffer>], { type }));
}

export class FrameStore {
  private cache = new Map<number, Promise<FrameData>>();
  private queue: { index: number; resolve: (f: Promise<FrameData>) => void }[] = [];
  private inFlight = 0;
  private sticky = new Map<LayerTopicKey, Timed<unknown>>();
  private generation = 0;

  constructor(
    private readonly overview: DriveOverview,
    /** The layers to fetch now (toggled-off layers are not fetched). */
    private readonly wantedLayers: () => LayerTopicKey[],
  ) {}

  get frameCount(): number {
    return this.overview.frameTimes.length;
  }

  /** Forget cached frames (the set of wanted layers changed). */
  invalidate(): void {
    this.generation++;
    for (const p of this.cache.values()) void p.then((f) => f.image?.value.close(), () => undefined);
    this.cache.clear();
    this.queue = [];
  }

  isCached(index: number): boolean {
    return this.cache.has(index);
  }

  /** The frame, from the cache or fetched before any prefetch. */
  load(index: number): Promise<FrameData> {
    const hit = this.cache.get(index);
    if (hit) {
      // Queued as a prefetch: move it to the front.
      const queued = this.queue.findIndex((j) => j.index === index);
      if (queued > 0) this.queue.unshift(...this.queue.splice(queued, 1));
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    const p = new Promise<FrameData>((resolve) => this.queue.unshift({ index, resolve: (f) => resolve(f) })).then((x) => x);
    this.remember(index, p);
    this.pump();
    return p;
  }

  /** Warm the cache for these frames, in order, behind anything the user asked for. */
  prefetch(indices: number[]): void {
    for (const index of indices) {
      if (index < 0 || index >= this.frameCount || this.cache.has(index)) continue;
      const p = new Promise<FrameData>((resolve) => this.queue.push({ index, resolve: (f) => resolve(f) }));
      this.remember(index, p);
    }
    this.pump();
  }

  private remember(index: number, p: Promise<FrameData>): void {
    // A failed fetch must not stay cached.
    p.catch(() => {
      if (this.cache.get(index) === p) this.cache.delete(index);
    });
    this.cache.set(index, p);
    while (this.cache.size > CACHE_FRAMES) {
      const [oldest, old] = this.cache.entries().next().value as [number, Promise<FrameData>];
      this.cache.delete(oldest);
      void old.then((f) => f.image?.value.close(), () => undefined);
    }
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const job = this.queue.shift()!;
      // Dropped from the cache while waiting: nobody needs it any more.
      if (!this.cache.has(job.index)) {
        job.resolve(Promise.reject(new Error('evicted')));
        continue;
      }
      this.inFlight++;
      const p = this.fetchFrame(job.index);
      job.resolve(p);
      p.finally(() => {
        this.inFlight--;
        this.pump();
      }).catch(() => undefined);
    }
  }

  private async fetchFrame(index: number): Promise<FrameData> {
    const generation = this.generation;
    const t = this.overview.frameTimes[index]!;
    const layers = this.overview.layers;
    const keys = this.wantedLayers().filter((k) => layers[k]);
    const topicOf = (k: LayerTopicKey) => layers[k]!;
    const known = new Map<string, bigint>();
    for (const k of keys) {
      const s = this.sticky.get(k);
      if (STICKY.includes(k) && s) known.set(topicOf(k), s.t);
    }
    const t0 = performance.now();
    const res = keys.length ? await fetchAt(t, keys.map(topicOf), known) : {};
    const t1 = performance.now();

    const frame: FrameData = {
      index,
      t,
      image: null,
      imageError: null,
      segmentation: null,
      stereoGround: null,
      grid: null,
      groundTruthGrid: null,
      plan: null,
      trajectory: null,
      lidar: null,
      fetchMs: t1 - t0,
      decodeMs: 0,
    };
    for (const k of keys) {
      const m = res[topicOf(k)];
      if (!m) continue;
      if ('unchanged' in m) {
        const s = this.sticky.get(k);
        if (s && s.t === m.logTimeNs) (frame as unknown as Record<string, unknown>)[k] = s;
        continue;
      }
      try {
        const value = await this.decode(k, m);
        if (value === null) continue;
        const timed = { t: m.logTimeNs, value };
        (frame as unknown as Record<string, unknown>)[k] = timed;
        if (STICKY.includes(k) && generation === this.generation) this.sticky.set(k, timed);
      } catch (e) {
        if (k === 'image') frame.imageError = (e as Error).message;
        else console.warn(`frame ${index}: ${k}: ${(e as Error).message}`);
      }
    }
    frame.decodeMs = performance.now() - t1;
    return frame;
  }

  private async decode(k: LayerTopicKey, m: LogMessage): Promise<unknown> {
    switch (k) {
      case 'image':
        return decodeImage(m);
      case 'segmentation':
      case 'stereoGround':
        return readRawImage(m.message);
      case 'grid':
      case 'groundTruthGrid':
        return readGrid(m.message);
      case 'plan':
        return readPosesInFrame(m.message);
      case 'trajectory':
        return readTrajectory(m.message);
      case 'lidar':
        return readPointCloud(m.message);
    }
  }
}
