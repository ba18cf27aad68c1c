/**
 * Bad input to the KITTI raw importer and to drive readers: each case is built from a few real
 * files copied into a temp folder, then broken on purpose.
 */
import { describe, expect, it, beforeEach, afterAll, vi } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '../../datasets/data-root.js';
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { importKittiRaw } from '../../datasets/importers/importers.js';
import { run as infoCommand } from '../../bin/commands/info.js';
import { run as importCommand } from '../../bin/commands/import.js';

const source = dataPath('kitti-raw');
const SRC_DRIVE = join(source, '2011_09_26_drive_0001_sync');
const N = 12;
const root = await mkdtemp(join(tmpdir(), 'grokdrive-bad-input-'));
let dateDir: string;
let drive: string;
let caseNo = 0;

const name = (i: number, ext: string) => `${String(i).padStart(10, '0')}.${ext}`;

/** A 12-frame copy of the drive (image_02, oxts, two lidar scans) with its calibration. */
async function makeDrive(): Promise<void> {
  dateDir = join(root, `case${caseNo++}`);
  drive = join(dateDir, '2011_09_26_drive_0001_sync');
  for (const f of ['calib_cam_to_cam.txt', 'calib_velo_to_cam.txt', 'calib_imu_to_velo.txt']) {
    await mkdir(dateDir, { recursive: true });
    await copyFile(join(source, f), join(dateDir, f));
  }
  for (const [stream, ext] of [['image_02', 'png'], ['oxts', 'txt']] as const) {
    await mkdir(join(drive, stream, 'data'), { recursive: true });
    for (let i = 0; i < N; i++) await copyFile(join(SRC_DRIVE, stream, 'data', name(i, ext)), join(drive, stream, 'data', name(i, ext)));
    const lines = (await readFile(join(SRC_DRIVE, stream, 'timestamps.txt'), 'utf8')).split('\n').slice(0, N);
    await writeFile(join(drive, stream, 'timestamps.txt'), lines.join('\n') + '\n');
  }
  await mkdir(join(drive, 'velodyne_points', 'data'), { recursive: true });
  for (const i of [0, 10]) await copyFile(join(SRC_DRIVE, 'velodyne_points', 'data', name(i, 'bin')), join(drive, 'velodyne_points', 'data', name(i, 'bin')));
}

beforeEach(makeDrive);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bad KITTI raw input', () => {
  it('imports the intact copy completely (the baseline for the cases below)', async () => {
    const r = await importKittiRaw(drive, join(dateDir, 'ok.mcap'));
    expect([r.frames, r.lidarScans, r.skipped.length, r.warnings.length]).toEqual([N, 2, 0, 0]);
  });

  it('missing calibration file: error naming it, no output', async () => {
    await unlink(join(dateDir, 'calib_velo_to_cam.txt'));
    const out = join(dateDir, 'x.mcap');
    await expect(importKittiRaw(drive, out)).rejects.toThrow(/calib_velo_to_cam\.txt/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('truncated and corrupt images: skipped, counted, named; the import goes on', async () => {
    const cut = join(drive, 'image_02', 'data', name(3, 'png'));
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    const garbled = join(drive, 'image_02', 'data', name(7, 'png'));
    const bytes = await readFile(garbled);
    bytes.fill(0x5a, 200, 2000); // header intact, pixel data destroyed
    await writeFile(garbled, bytes);
    const r = await importKittiRaw(drive, join(dateDir, 'x.mcap'));
    expect(r.frames).toBe(N - 2);
    expect(r.skipped.map((s) => [s.index, s.file])).toEqual([[3, cut], [7, garbled]]);
    for (const s of r.skipped) expect(s.reason).toMatch(/corrupt or truncated PNG/);
    const reader = await DriveReader.open(join(dateDir, 'x.mcap'));
    const indices = [];
    for await (const f of reader.frames()) indices.push(f.index);
    expect(indices).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10, 11]);
    await reader.close();
  });

  it('empty image folder: clear error', async () => {
    await rm(join(drive, 'image_02', 'data'), { recursive: true });
    await mkdir(join(drive, 'image_02', 'data'));
    await expect(importKittiRaw(drive, join(dateDir, 'x.mcap'))).rejects.toThrow(/image_02\/data: no PNG images \(empty folder\)/);
  });

  it('a small mismatch between streams drops the unmatched frame with a warning naming it', async () => {
    await unlink(join(drive, 'oxts', 'data', name(11, 'txt')));
    const r = await importKittiRaw(drive, join(dateDir, 'x.mcap'));
    expect(r.frames).toBe(N - 1);
    expect(r.warnings).toEqual([expect.stringMatching(/dropped 1 frame that not every stream has \(oxts\/data lacks frame 11\)/)]);
  });

  it('a large mismatch between streams is an error naming the streams and frames', async () => {
    const ts = join(drive, 'image_02', 'timestamps.txt');
    await writeFile(ts, (await readFile(ts, 'utf8')).split('\n').slice(0, 6).join('\n') + '\n');
    await expect(importKittiRaw(drive, join(dateDir, 'x.mcap'))).rejects.toThrow(
      /streams do not match \(image_02\/data: 12, image_02\/timestamps\.txt: 6.*image_02\/timestamps\.txt lacks frames 6-11/,
    );
  });

  it('a malformed OXTS record: error naming the file', async () => {
    await writeFile(join(drive, 'oxts', 'data', name(5, 'txt')), '49.0 8.4 not-a-number\n');
    await expect(importKittiRaw(drive, join(dateDir, 'x.mcap'))).rejects.toThrow(new RegExp(`${name(5, 'txt')}`));
  });
});

describe('truncated drive logs from an import', () => {
  it('reads the complete part of a cut import and info says it is incomplete', async () => {
    const out = join(dateDir, 'cut.mcap');
    await importKittiRaw(drive, out, { chunkSize: 64 * 1024 });
    await truncate(out, Math.floor((await stat(out)).size * 0.7));
    const r = await DriveReader.open(out);
    const s = r.summary();
    expect(s.complete).toBe(false);
    const frames = s.topics.find((t) => t.topic === '/camera/image_02/image')!.messageCount;
    expect(frames).toBeGreaterThan(3);
    expect(frames).toBeLessThan(N);
    await r.close();

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await infoCommand([out])).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toMatch(/INCOMPLETE: the record at byte \d+ .* is cut off/);
    } finally {
      log.mockRestore();
    }
  });
});

describe('grokdrive import / info commands', () => {
  it('import kitti-raw -o writes the drive, info --json describes it', async () => {
    const out = join(dateDir, 'cli.mcap');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await importCommand(['kitti-raw', drive, '-o', out])).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toMatch(/12 frames \(image_02 12\), 2 lidar scans/);
      log.mockClear();
      expect(await infoCommand([out, '--json'])).toBe(0);
      const info = JSON.parse(String(log.mock.calls[0][0]));
      expect(info.cameras).toEqual([
        expect.objectContaining({ cameraId: 'image_02', frames: 12, width: 397, height: 120, imageWidth: 397, imageHeight: 120 }),
      ]);
      expect(info.cameras[0].fx).toBeCloseTo(230.64, 2);
      expect(info.egoPath.count).toBe(12);
      expect(info.egoPath.pathLengthM).toBeGreaterThan(12); // ~13 m/s for 1.1 s
      expect(info.egoPath.pathLengthM).toBeLessThan(16);
      expect(info.durationS).toBeCloseTo(11 * 0.1031, 2);
      expect(info.topics.find((t: { topic: string }) => t.topic === '/ego/pose').messageCount).toBe(12);
      expect(await importCommand(['kitti-raw', drive])).toBe(2); // no -o
      await expect(importCommand(['images', drive, '-o', out])).rejects.toThrow(/give the frame rate with --fps N/);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
