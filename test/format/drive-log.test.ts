import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { firstValueFrom, toArray, take } from 'rxjs';
import { DriveReader, DriveWriter, gridFromFoxglove, gridToFoxglove } from '../../datasets/drive-log/index.js';
import { logOddsToPercent } from '../../datasets/drive-log/grid-message.js';
import { topics } from '../../types/topics.js';
import type { CameraCalibration, OccupancyGrid, SensorFrame } from '../../types/index.js';

const calib: CameraCalibration = {
  cameraId: 'front',
  width: 32,
  height: 16,
  fx: 20.5,
  fy: 21.25,
  cx: 15.5,
  cy: 7.5,
  distortion: [-0.1, 0.01, 0.001, -0.002, 0.0003],
  cameraToVehicle: { position: { x: 1.5, y: 0, z: 1.6 }, orientation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } },
};

async function pngOf(seed: number): Promise<Uint8Array> {
  const raw = new Uint8Array(32 * 16 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + seed * 31) & 255;
  return new Uint8Array(await sharp(raw, { raw: { width: 32, height: 16, channels: 3 } }).png().toBuffer());
}

const T0 = 1_317_000_000_000_000_000n;
const STEP = 100_000_000n;

async function writeSample(path: string, n: number): Promise<SensorFrame[]> {
  const w = await DriveWriter.create(path, { chunkSize: 4096 }); // small chunks: many chunks to seek across
  const frames: SensorFrame[] = [];
  for (let i = 0; i < n; i++) {
    const frame: SensorFrame = {
      timeNs: T0 + BigInt(i) * STEP,
      index: i,
      cameraId: 'front',
      image: { format: 'png', data: await pngOf(i) },
      calibration: calib,
      groundZ: -0.93,
      egoPose: { position: { x: i * 1.25, y: -0.5 * i, z: 0.01 }, orientation: { x: 0, y: 0, z: Math.sin(i / 20), w: Math.cos(i / 20) } },
    };
    frames.push(frame);
    await w.writeFrame(frame);
    if (i % 5 === 0) await w.writeLidar(frame.timeNs, new Float32Array([i, 2, -1.7, 0.5, 4, 5, 6, 0.25]));
    await w.writeJson(topics.frameResult, frame.timeNs, { index: i, status: 'processed', big: 12345678901234567890n });
  }
  await w.close();
  return frames;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-drivelog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DriveWriter / DriveReader round trip', () => {
  it('reads back frames, calibration, poses, lidar and JSON exactly', async () => {
    const path = join(dir, 'a.mcap');
    const written = await writeSample(path, 20);
    const r = await DriveReader.open(path);
    const s = r.summary();
    expect(s.complete).toBe(true);
    expect(s.startNs).toBe(T0);
    expect(s.endNs).toBe(T0 + 19n * STEP);
    const count = (t: string) => s.topics.find((x) => x.topic === t)?.messageCount;
    expect(count(topics.cameraImage('front'))).toBe(20);
    expect(count(topics.cameraCalibration('front'))).toBe(20);
    expect(count(topics.egoPose)).toBe(20);
    expect(count(topics.lidar)).toBe(4);
    expect(count(topics.staticTransforms)).toBe(2); // camera mount + road plane, written once
    expect(s.topics.find((x) => x.topic === topics.cameraImage('front'))?.schemaName).toBe('foxglove.CompressedImage');

    const frames: SensorFrame[] = [];
    for await (const f of r.frames()) frames.push(f);
    expect(frames.length).toBe(20);
    for (let i = 0; i < 20; i++) {
      expect(frames[i].timeNs).toBe(written[i].timeNs);
      expect(frames[i].index).toBe(i);
      expect(frames[i].image).toEqual(written[i].image);
      expect(frames[i].calibration).toEqual(calib);
      expect(frames[i].egoPose).toEqual(written[i].egoPose);
      expect(frames[i].groundZ).toBe(-0.93);
    }

    const lidar = [];
    for await (const m of r.messages({ topics: [topics.lidar] })) lidar.push(m);
    expect(lidar.map((m) => m.logTimeNs)).toEqual([0, 5, 10, 15].map((i) => T0 + BigInt(i) * STEP));
    const pc = lidar[1].message as { data: Uint8Array; frame_id: string; point_stride: number };
    expect(pc.frame_id).toBe('velodyne');
    expect(new Float32Array(new Uint8Array(pc.data).buffer)).toEqual(new Float32Array([5, 2, -1.7, 0.5, 4, 5, 6, 0.25]));

    // Scans read in the frames' own pass come in log-time order beside the same frames.
    const passed: bigint[] = [];
    const beside: bigint[] = [];
    for await (const f of r.frames({ passing: { topics: [topics.lidar], onMessage: (m) => passed.push(m.logTimeNs) } })) {
      if (passed.length > 0 && passed[passed.length - 1] === f.timeNs) beside.push(f.timeNs);
    }
    expect(passed).toEqual(lidar.map((m) => m.logTimeNs));
    expect(beside.length).toBe(4);

    const json = await r.messageAt(topics.frameResult, T0 + 7n * STEP + 1n);
    expect(json?.message).toEqual({ index: 7, status: 'processed', big: '12345678901234567890' });
    await r.close();
  });

  it('iterates in time order and seeks by time, also as an Observable', async () => {
    const path = join(dir, 'b.mcap');
    await writeSample(path, 30);
    const r = await DriveReader.open(path);
    let last = -1n;
    let n = 0;
    for await (const m of r.messages()) {
      expect(m.logTimeNs >= last).toBe(true);
      last = m.logTimeNs;
      n++;
    }
    expect(n).toBe(30 * 4 + 6 + 2); // image, calib, pose, json per frame; 6 lidar; camera mount + road

    const from12 = await firstValueFrom(r.frames$({ startNs: T0 + 12n * STEP, endNs: T0 + 14n * STEP }).pipe(toArray()));
    expect(from12.map((f) => f.index)).toEqual([12, 13, 14]);
    expect(from12[0].calibration.cameraToVehicle).toEqual(calib.cameraToVehicle); // mount found although written at frame 0

    const firstTwo = await firstValueFrom(r.frames$().pipe(take(2), toArray()));
    expect(firstTwo.map((f) => f.index)).toEqual([0, 1]);

    const at = await r.messageAt(topics.egoPose, T0 + 3n * STEP + STEP / 2n);
    expect(at?.logTimeNs).toBe(T0 + 3n * STEP);
    expect(await r.messageAt(topics.egoPose, T0 - 1n)).toBeUndefined();
    await r.close();
  });

  it('stores raw rgb8 frames losslessly as PNG', async () => {
    const path = join(dir, 'raw.mcap');
    const w = await DriveWriter.create(path);
    const rgb = new Uint8Array(32 * 16 * 3).map((_, i) => (i * 13) & 255);
    await w.writeFrame({ timeNs: T0, index: 0, cameraId: 'front', image: { format: 'rgb8', width: 32, height: 16, data: rgb }, calibration: calib });
    await w.close();
    const r = await DriveReader.open(path);
    const [f] = await firstValueFrom(r.frames$().pipe(toArray()));
    expect(f.image.format).toBe('png');
    const back = await sharp(f.image.data).raw().toBuffer({ resolveWithObject: true });
    expect(back.info.width).toBe(32);
    expect(new Uint8Array(back.data)).toEqual(rgb);
    expect(f.egoPose).toBeUndefined();
    expect(f.groundZ).toBeUndefined();
    await r.close();
  });

  it('is deterministic: the same input gives byte-identical files', async () => {
    await writeSample(join(dir, 'd1.mcap'), 12);
    await writeSample(join(dir, 'd2.mcap'), 12);
    const [a, b] = await Promise.all([readFile(join(dir, 'd1.mcap')), readFile(join(dir, 'd2.mcap'))]);
    expect(a.length).toBeGreaterThan(1000);
    expect(a.equals(b)).toBe(true);
  });

  it('round-trips an occupancy grid through foxglove.Grid', async () => {
    const grid: OccupancyGrid = {
      timeNs: T0,
      frameId: 'world',
      origin: { x: -10, y: 5, yaw: 0.3 },
      resolution: 0.2,
      width: 7,
      height: 5,
      logOdds: Float32Array.from({ length: 35 }, (_, i) => (i - 17) / 4),
    };
    const path = join(dir, 'grid.mcap');
    const w = await DriveWriter.create(path);
    await w.writeFoxglove(topics.occupancy, 'foxglove.Grid', T0, gridToFoxglove(grid));
    await w.close();
    const r = await DriveReader.open(path);
    const m = await r.messageAt(topics.occupancy, T0);
    expect(m?.schemaName).toBe('foxglove.Grid');
    const back = gridFromFoxglove(m!.message as Record<string, unknown>);
    // Stored as percent occupied (int8, -1 unknown): the same probability within half a percent.
    const prob = (l: number) => 1 / (1 + Math.exp(-l));
    for (let i = 0; i < 35; i++) {
      if (grid.logOdds[i] === 0) expect(back.logOdds[i]).toBe(0);
      else {
        expect(Math.sign(back.logOdds[i])).toBe(Math.sign(grid.logOdds[i]));
        expect(Math.abs(prob(back.logOdds[i]) - prob(grid.logOdds[i]))).toBeLessThan(0.0051);
      }
    }
    // Unknown: never observed, decayed to nothing, or not a number; beyond the table, 0 or 100.
    expect([...logOddsToPercent(Float32Array.of(0, 1e-4, -1e-3, NaN, 0.01, -20, 20, -Infinity, Infinity))]).toEqual([-1, -1, -1, -1, 50, 0, 100, 0, 100]);
    const msg = m!.message as { fields: { name: string; type: number }[]; data: Uint8Array };
    expect(msg.fields).toEqual([{ name: 'occupancy', offset: 0, type: 2 }]);
    expect(msg.data.byteLength).toBe(35);
    expect(back.width).toBe(7);
    expect(back.height).toBe(5);
    expect(back.origin.x).toBe(-10);
    expect(back.origin.yaw).toBeCloseTo(0.3, 12);
    expect(back.resolution).toBe(0.2);
    expect(back.timeNs).toBe(T0);
    // Logs written before the int8 encoding carried float32 log-odds: still read exactly.
    const legacy = { ...msg, row_stride: 28, cell_stride: 4, fields: [{ name: 'log_odds', offset: 0, type: 7 }], data: new Uint8Array(grid.logOdds.slice().buffer) };
    expect(gridFromFoxglove(legacy as unknown as Record<string, unknown>).logOdds).toEqual(grid.logOdds);
    await r.close();
  });

  it('rejects a message that does not fit its schema, naming topic and field', async () => {
    const w = await DriveWriter.create(join(dir, 'bad.mcap'));
    await expect(w.writeFoxglove('/x', 'foxglove.Grid', T0, { colum_count: 3 })).rejects.toThrow(/\/x.*colum_count/);
    await expect(w.writeFoxglove('/x', 'foxglove.NoSuch', T0, {})).rejects.toThrow(/unknown Foxglove schema 'foxglove.NoSuch'/);
    await w.close();
  });
});

describe('damaged drive logs', () => {
  it('reads a file cut short (killed writer) as a prefix', async () => {
    const path = join(dir, 'cut.mcap');
    await writeSample(path, 40);
    const full = (await stat(path)).size;
    await truncate(path, Math.floor(full * 0.6));
    const r = await DriveReader.open(path);
    const s = r.summary();
    expect(s.complete).toBe(false);
    expect(s.incompleteBecause).toMatch(/cut off|ends/);
    const images = s.topics.find((t) => t.topic === topics.cameraImage('front'))!.messageCount;
    expect(images).toBeGreaterThan(5);
    expect(images).toBeLessThan(40);
    const frames: SensorFrame[] = [];
    for await (const f of r.frames()) frames.push(f);
    expect(frames.length).toBe(images);
    expect(frames.map((f) => f.index)).toEqual([...Array(images).keys()]);
    const seek = await firstValueFrom(r.frames$({ startNs: T0 + 3n * STEP }).pipe(take(1), toArray()));
    expect(seek[0].index).toBe(3);
    expect((await r.messageAt(topics.egoPose, T0 + 2n * STEP))?.logTimeNs).toBe(T0 + 2n * STEP);
    await r.close();
  });

  it('names the chunk of a complete file whose bytes were damaged', async () => {
    const path = join(dir, 'flipped.mcap');
    await writeSample(path, 40);
    const bytes = await readFile(path);
    // Inside the records of the 5th zstd-compressed chunk (zstd frames start with 28 b5 2f fd).
    let at = -1;
    for (let k = 0; k < 5; k++) at = bytes.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), at + 1);
    expect(at).toBeGreaterThan(0);
    bytes[at + 40] ^= 0xff;
    await writeFile(path, bytes);
    const r = await DriveReader.open(path);
    expect(r.summary().complete).toBe(true); // the summary and its indexes are intact
    const read = async () => {
      for await (const m of r.messages()) void m;
    };
    await expect(read()).rejects.toThrow(/flipped\.mcap chunk at byte \d+: .*(CRC|cannot decompress)/);
    await r.close();
  });

  it('names the file when nothing is readable', async () => {
    const garbage = join(dir, 'garbage.mcap');
    await writeFile(garbage, 'this is not an mcap file at all, just text');
    await expect(DriveReader.open(garbage)).rejects.toThrow(/garbage\.mcap is not an MCAP file/);

    const empty = join(dir, 'empty.mcap');
    await writeFile(empty, '');
    await expect(DriveReader.open(empty)).rejects.toThrow(/empty\.mcap is empty/);

    const stub = join(dir, 'stub.mcap');
    await writeSample(stub, 3);
    await truncate(stub, 40); // magic + part of the header
    await expect(DriveReader.open(stub)).rejects.toThrow(/stub\.mcap: no readable messages/);

    await expect(DriveReader.open(join(dir, 'missing.mcap'))).rejects.toThrow(/cannot open .*missing\.mcap/);
  });
});
