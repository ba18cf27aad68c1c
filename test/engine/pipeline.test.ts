import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Observable, concatMap, delay, from, lastValueFrom, of, take, tap, toArray } from 'rxjs';
import { createEngine, type Engine } from '../../engine/create-engine.js';
import type { Segmenter } from '../../engine/segmenter.js';
import { OnnxSegmenter } from '../../engine/perception/segmenter.js';
import { WorkerSegmenter } from '../../engine/worker/worker-segmenter.js';
import { decodeImage } from '../../engine/perception/decode.js';
import type { FrameResult, SensorFrame } from '../../types/index.js';
import { loadKittiFrames, pulled } from './kitti-frames.js';

let model: OnnxSegmenter;
let frames: SensorFrame[];

beforeAll(async () => {
  model = await OnnxSegmenter.load();
  frames = await loadKittiFrames();
});
afterAll(async () => {
  await model?.dispose();
});

const collect = (o: Observable<FrameResult>) => lastValueFrom(o.pipe(toArray()));

/** A segmenter that takes at least `ms` per frame: the model behind a delay. */
function slowSegmenter(inner: Segmenter, ms: number): Segmenter {
  return {
    classTable: inner.classTable,
    async segmentRgb(rgb, width, height, timeNs, opts) {
      const [seg] = await Promise.all([inner.segmentRgb(rgb, width, height, timeNs, opts), new Promise((r) => setTimeout(r, ms))]);
      return seg;
    },
  };
}

describe('engine on the KITTI drive (replay mode)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ segmenter: model });
  });

  it('yields exactly one processed result per input frame, in order, with grids and stage timings', async () => {
    const source = pulled(frames);
    const results = await collect(engine.run(source));
    expect(results.length).toBe(frames.length);
    expect(results.map((r) => r.index)).toEqual(frames.map((f) => f.index));
    for (const r of results) {
      expect(r.status, r.reason).toBe('processed');
      // KITTI's 397x120 frames are about the model's pixel count: they enter at their own scale
      // (padded to 400x128) and the class map lies on the image's pixels.
      expect([r.segmentation!.width, r.segmentation!.height]).toEqual([397, 120]);
      expect(r.grid!.width).toBe(400);
      for (const stage of ['decode', 'segment', 'project', 'fuse', 'total']) expect(r.timings[stage]).toBeGreaterThanOrEqual(0);
    }
    // The car drives ~107 m: the grid followed it and holds free road and obstacles.
    const last = results[results.length - 1].grid!;
    const first = results[0].grid!;
    expect(Math.hypot(last.origin.x - first.origin.x, last.origin.y - first.origin.y)).toBeGreaterThan(90);
    let free = 0;
    let occupied = 0;
    for (const v of last.logOdds) {
      if (v < -0.2) free++;
      else if (v > 0.4) occupied++;
    }
    expect(free).toBeGreaterThan(2000);
    expect(occupied).toBeGreaterThan(50);
    expect(source.closed).toBe(true);
  });

  it('turns a corrupt frame in the middle into a failed result with the reason and goes on', async () => {
    const some = frames.slice(0, 12);
    const broken = some.map((f, i) =>
      i === 6 && f.image.format === 'png' ? { ...f, image: { format: 'png' as const, data: f.image.data.slice(0, 200) } } : f,
    );
    const results = await collect(engine.run(pulled(broken)));
    expect(results.map((r) => r.status)).toEqual(some.map((_, i) => (i === 6 ? 'failed' : 'processed')));
    const bad = results[6];
    expect(bad.reason).toMatch(/decode/);
    expect(bad.reason).toContain(some[6].source!); // names the file
    expect(bad.diagnostics.some((d) => d.level === 'error' && d.stage === 'decode')).toBe(true);
    // The frames after it still get grids that build on the ones before it.
    expect(results[7].grid).toBeDefined();
  });

  it('prepares on a frame ahead of a run, and names a frame it cannot prepare on', async () => {
    await engine.prepare(frames[0]);
    const results = await collect(engine.run(pulled(frames.slice(0, 3))));
    expect(results.map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
    const corrupt = { ...frames[1], image: { format: 'png' as const, data: frames[1].image.data.slice(0, 200) } };
    await expect(engine.prepare(corrupt)).rejects.toThrow(frames[1].source!);
  });

  it('keeps the frames in flight bounded: the source is pulled only as results come out', async () => {
    const source = pulled(frames.slice(0, 30));
    let maxAhead = 0;
    let out = 0;
    await collect(
      engine.run(source).pipe(
        tap(() => {
          out++;
          maxAhead = Math.max(maxAhead, source.pulls - out);
        }),
      ),
    );
    expect(out).toBe(30);
    expect(maxAhead).toBeLessThanOrEqual(3); // the default replay concurrency
  });

  it('cancels on unsubscribe: the source is closed and no more frames are pulled', async () => {
    const source = pulled(frames);
    const results = await collect(engine.run(source).pipe(take(4)));
    expect(results.length).toBe(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(source.closed).toBe(true);
    expect(source.pulls).toBeLessThan(10);
  });

  it('rejects frames whose calibration does not fit the image', async () => {
    const f = frames[0];
    const wrong = { ...f, calibration: { ...f.calibration, width: 400, height: 400 } };
    const [r] = await collect(engine.run(from([wrong])));
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/calibration is for 400x400/);
  });
});

describe('model in a worker thread', () => {
  it('gives the same class maps as the model in this thread, and runs the engine', async () => {
    const worker = await WorkerSegmenter.load(); // needs dist/ (npm test builds first)
    try {
      expect(worker.classTable).toEqual(model.classTable);
      // Getting ready for KITTI's frame size ahead of the frames; a size it cannot take fails.
      await worker.prepare(397, 120);
      await expect(worker.prepare(0, 120)).rejects.toThrow(/image size 0x120: width and height must be positive integers/);
      for (const f of frames.slice(0, 3)) {
        const { rgb, width, height } = await decodeImage(f.image);
        const [a, b] = await Promise.all([worker.segmentRgb(rgb, width, height, f.timeNs), model.segmentRgb(rgb, width, height, f.timeNs)]);
        expect(a.timeNs).toBe(f.timeNs);
        expect(a.width).toBe(b.width);
        expect(Buffer.compare(Buffer.from(a.classes), Buffer.from(b.classes))).toBe(0);
      }
      const engine = await createEngine({ segmenter: worker });
      const results = await collect(engine.run(pulled(frames.slice(0, 10))));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill('processed'));
      expect(results[9].timings['segment.model']).toBeGreaterThan(0);
    } finally {
      await worker.dispose();
    }
  });
});

describe('engine in realtime mode', () => {
  it('drops stale frames under a slow model, reporting every drop, one result per frame', async () => {
    const engine = await createEngine({ segmenter: slowSegmenter(model, 250), mode: 'realtime' });
    const some = frames.slice(0, 20);
    // A live camera: a frame every 40 ms whatever the engine does.
    const live$ = from(some).pipe(concatMap((f) => of(f).pipe(delay(40))));
    const results = await collect(engine.run(live$));
    expect(results.length).toBe(some.length);
    expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(some.map((f) => f.index));
    const dropped = results.filter((r) => r.status === 'dropped');
    const processed = results.filter((r) => r.status === 'processed');
    expect(dropped.length).toBeGreaterThan(5);
    expect(processed.length).toBeGreaterThan(1);
    expect(dropped.length + processed.length).toBe(some.length);
    for (const d of dropped) {
      expect(d.reason).toMatch(/dropped/);
      expect(d.diagnostics[0].stage).toBe('schedule');
    }
    // The newest frame always wins: the last frame of the stream is processed.
    expect(results[results.length - 1].status).toBe('processed');
    expect(results[results.length - 1].index).toBe(some[some.length - 1].index);
  });

  it('drops nothing when the model keeps up', async () => {
    const engine = await createEngine({ segmenter: model, mode: 'realtime' });
    const some = frames.slice(0, 5);
    const live$ = from(some).pipe(concatMap((f) => of(f).pipe(delay(400))));
    const results = await collect(engine.run(live$));
    expect(results.map((r) => r.status)).toEqual(some.map(() => 'processed'));
  });
});
