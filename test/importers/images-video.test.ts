/** Image-folder and video imports on the Udacity lane-line media, with the 960x540 calibration. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, truncate, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { dataPath, repoRoot } from '../../datasets/data-root.js';
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { formatImportReport } from '../../datasets/importers/import-source.js';
import { importImageFolder, importVideo } from '../../datasets/importers/importers.js';
import type { SensorFrame } from '../../types/index.js';

const calib = join(repoRoot(), 'test', 'fixtures', 'udacity-960x540.calib.json');
const video = dataPath('udacity', 'lanelines', 'test_videos', 'solidWhiteRight.mp4');
const images = dataPath('udacity', 'lanelines', 'test_images');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-media-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readFrames(path: string): Promise<SensorFrame[]> {
  const r = await DriveReader.open(path);
  const out: SensorFrame[] = [];
  for await (const f of r.frames()) out.push(f);
  await r.close();
  return out;
}

describe('import video', () => {
  it('yields all 221 frames of solidWhiteRight.mp4 as JPEGs at 25 fps', async () => {
    const out = join(dir, 'video.mcap');
    let lastProgress = 0;
    const report = await importVideo(video, out, { calibration: calib, onProgress: (d) => (lastProgress = d) });
    expect(report.frames).toBe(221);
    expect(lastProgress).toBe(221);
    expect(report.skipped).toEqual([]);
    const frames = await readFrames(out);
    expect(frames.length).toBe(221);
    expect(frames.map((f) => f.index)).toEqual([...Array(221).keys()]);
    expect(frames[220].timeNs).toBe(220n * 40_000_000n);
    const meta = await sharp(frames[100].image.data).metadata();
    expect([frames[100].image.format, meta.width, meta.height]).toEqual(['jpeg', 960, 540]);
    expect(frames[0].calibration.fx).toBe(870);
    // Successive frames of a moving car differ; a stuck decoder would repeat one.
    expect(Buffer.from(frames[10].image.data).equals(Buffer.from(frames[11].image.data))).toBe(false);
  });

  it('resamples to --fps', async () => {
    const report = await importVideo(video, join(dir, 'video10.mcap'), { calibration: calib, fps: 10 });
    // 8.84 s at 10 fps
    expect(report.frames).toBeGreaterThanOrEqual(88);
    expect(report.frames).toBeLessThanOrEqual(89);
    expect(report.endNs).toBe(BigInt(report.frames - 1) * 100_000_000n);
  });

  it('keeps the frames before the damage of a truncated video and says so', async () => {
    const cut = join(dir, 'cut.mp4');
    await copyFile(video, cut);
    await truncate(cut, Math.floor((await stat(cut)).size * 0.5));
    const report = await importVideo(cut, join(dir, 'cut.mcap'), { calibration: calib });
    expect(report.frames).toBeGreaterThan(50);
    expect(report.frames).toBeLessThan(221);
    expect(report.warnings.join('\n')).toMatch(new RegExp(`cut\\.mp4: decoded ${report.frames} of the 221 frames`));
    expect(formatImportReport(report)).toMatch(/warning: .*cut\.mp4: decoding errors/);
  });

  it('names a file that is not a video', async () => {
    const fake = join(dir, 'fake.mp4');
    await writeFile(fake, 'not a video');
    await expect(importVideo(fake, join(dir, 'fake.mcap'), { calibration: calib })).rejects.toThrow(/fake\.mp4: not a readable video/);
  });
});

describe('import images', () => {
  it('imports a folder of JPEGs byte for byte, stamped at --fps', async () => {
    const out = join(dir, 'images.mcap');
    const report = await importImageFolder(images, out, { fps: 2, calibration: calib });
    expect(report.frames).toBe(6);
    const frames = await readFrames(out);
    const names = (await readdir(images)).filter((n) => n.endsWith('.jpg')).sort();
    for (let i = 0; i < 6; i++) {
      expect(Buffer.from(frames[i].image.data).equals(await readFile(join(images, names[i])))).toBe(true);
      expect(frames[i].timeNs).toBe(BigInt(i) * 500_000_000n);
    }
  });

  it('skips a truncated image, names it, and imports the rest', async () => {
    const folder = join(dir, 'some-bad');
    await mkdir(folder);
    const names = (await readdir(images)).filter((n) => n.endsWith('.jpg')).sort();
    for (const n of names) await copyFile(join(images, n), join(folder, n));
    await truncate(join(folder, names[2]), 20_000);
    await writeFile(join(folder, names[4]), 'garbage, not a JPEG');
    const report = await importImageFolder(folder, join(dir, 'some-bad.mcap'), { fps: 1, calibration: calib });
    expect(report.frames).toBe(4);
    expect(report.skipped.map((s) => [s.index, s.file])).toEqual([
      [2, join(folder, names[2])],
      [4, join(folder, names[4])],
    ]);
    expect(report.skipped[0].reason).toMatch(/corrupt or truncated JPEG/);
    expect(report.skipped[1].reason).toMatch(/not a readable image/);
    const text = formatImportReport(report);
    expect(text).toMatch(/skipped 2 bad frames/);
    expect(text).toContain(names[2]);
    expect((await readFrames(join(dir, 'some-bad.mcap'))).map((f) => f.index)).toEqual([0, 1, 3, 5]);
  });

  it('rescales the calibration to images of another size', async () => {
    const folder = join(dir, 'half');
    await mkdir(folder);
    const names = (await readdir(images)).filter((n) => n.endsWith('.jpg')).sort();
    await sharp(join(images, names[0])).resize(480, 270).jpeg().toFile(join(folder, 'a.jpg'));
    await importImageFolder(folder, join(dir, 'half.mcap'), { fps: 1, calibration: calib });
    const [f] = await readFrames(join(dir, 'half.mcap'));
    expect([f.calibration.width, f.calibration.height, f.calibration.fx, f.calibration.cx]).toEqual([480, 270, 435, 239.5]);
  });

  it('refuses an empty folder, a missing calibration file, and a bad frame rate', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(importImageFolder(empty, join(dir, 'e.mcap'), { fps: 10, calibration: calib })).rejects.toThrow(/empty.*no PNG or JPEG images \(empty folder\)/);
    await expect(importImageFolder(images, join(dir, 'e.mcap'), { fps: 10, calibration: join(dir, 'nope.json') })).rejects.toThrow(/nope\.json: cannot read camera calibration: file not found/);
    await expect(importImageFolder(images, join(dir, 'e.mcap'), { fps: 0, calibration: calib })).rejects.toThrow(/frame rate must be a positive number/);
  });

  it('fails with every frame named when no frame is readable, leaving no output', async () => {
    const folder = join(dir, 'all-bad');
    await mkdir(folder);
    await writeFile(join(folder, 'x.png'), 'nope');
    await expect(importImageFolder(folder, join(dir, 'all-bad.mcap'), { fps: 1, calibration: calib })).rejects.toThrow(/no frame could be imported.*x\.png/);
    expect((await readdir(dir)).filter((n) => n.startsWith('all-bad.mcap'))).toEqual([]);
  });
});
