/** KITTI odometry import on the shared 51-frame prefixes of sequences 06 and 01. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '../../datasets/data-root.js';
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { importKittiOdometry } from '../../datasets/importers/importers.js';
import { topics } from '../../types/topics.js';
import type { SensorFrame } from '../../types/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-kitti-odo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sequences = [
  { seq: '06', width: 1226, height: 370, fx: 707.0912, forwardM: [55, 65] },
  { seq: '01', width: 1241, height: 376, fx: 718.856, forwardM: [40, 60] },
];

describe('import kitti-odometry', () => {
  for (const s of sequences) {
    it(`sequence ${s.seq}: 51 frames, 51 poses, synthetic 10 Hz times, calibration of the image size`, async () => {
      const out = join(dir, `${s.seq}.mcap`);
      const report = await importKittiOdometry(dataPath('kitti-odometry', s.seq), out);
      expect(report.frames).toBe(51);
      expect(report.skipped).toEqual([]);
      expect(report.warnings.join('\n')).toMatch(/no times\.txt; frames stamped at a synthetic 10 Hz/);

      const r = await DriveReader.open(out);
      const sum = r.summary();
      const count = (t: string) => sum.topics.find((x) => x.topic === t)?.messageCount;
      expect(count(topics.cameraImage('image_0'))).toBe(51);
      expect(count(topics.egoPose)).toBe(51);
      expect(sum.startNs).toBe(0n);
      expect(sum.endNs).toBe(5_000_000_000n);

      const frames: SensorFrame[] = [];
      for await (const f of r.frames()) frames.push(f);
      expect(frames.map((f) => f.timeNs)).toEqual(frames.map((_, i) => BigInt(i) * 100_000_000n));
      const c = frames[0].calibration;
      expect([c.width, c.height]).toEqual([s.width, s.height]);
      expect(c.fx).toBeCloseTo(s.fx, 4);
      const file = join(dataPath('kitti-odometry', s.seq, 'image_0'), '000007.png');
      expect(Buffer.from(frames[7].image.data).equals(await readFile(file))).toBe(true);
      // World frame = vehicle frame of frame 0: the car starts at the origin and drives forward (+x).
      expect(Math.hypot(frames[0].egoPose!.position.x, frames[0].egoPose!.position.y)).toBeLessThan(1e-6);
      let length = 0;
      for (let i = 1; i < 51; i++) {
        const a = frames[i - 1].egoPose!.position, b = frames[i].egoPose!.position;
        length += Math.hypot(b.x - a.x, b.y - a.y);
      }
      expect(length).toBeGreaterThan(s.forwardM[0]);
      expect(length).toBeLessThan(s.forwardM[1]);
      expect(frames[10].egoPose!.position.x).toBeGreaterThan(5);
      await r.close();
    });
  }

  it('uses times.txt when the sequence has one', async () => {
    const seq = join(dir, 'timed');
    await mkdir(join(seq, 'image_0'), { recursive: true });
    const src = dataPath('kitti-odometry', '06');
    for (const f of ['calib.txt']) await copyFile(join(src, f), join(seq, f));
    const poses = (await readFile(join(src, 'poses.txt'), 'utf8')).split('\n').slice(0, 4).join('\n') + '\n';
    await writeFile(join(seq, 'poses.txt'), poses);
    for (let i = 0; i < 4; i++) await copyFile(join(src, 'image_0', `00000${i}.png`), join(seq, 'image_0', `00000${i}.png`));
    await writeFile(join(seq, 'times.txt'), '0.000000e+00\n1.036000e-01\n2.073000e-01\n3.109000e-01\n');
    const report = await importKittiOdometry(seq, join(dir, 'timed.mcap'));
    expect(report.frames).toBe(4);
    expect(report.warnings).toEqual([]);
    expect(report.endNs).toBe(310_900_000n);
  });

  it('refuses a poses.txt that covers far fewer frames than the images', async () => {
    const seq = join(dir, 'short-poses');
    await mkdir(join(seq, 'image_0'), { recursive: true });
    const src = dataPath('kitti-odometry', '01');
    await copyFile(join(src, 'calib.txt'), join(seq, 'calib.txt'));
    await writeFile(join(seq, 'poses.txt'), (await readFile(join(src, 'poses.txt'), 'utf8')).split('\n').slice(0, 3).join('\n') + '\n');
    for (let i = 0; i < 8; i++) await copyFile(join(src, 'image_0', `00000${i}.png`), join(seq, 'image_0', `00000${i}.png`));
    await expect(importKittiOdometry(seq, join(dir, 'short.mcap'))).rejects.toThrow(/streams do not match.*poses\.txt lacks frames 3-7/);
  });
});
