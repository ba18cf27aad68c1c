import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticDrive } from '../../datasets/synthetic/index.js';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { topics } from '../../types/topics.js';
import { gridFromFoxglove } from '../../datasets/drive-log/grid-message.js';

const dir = mkdtempSync(join(tmpdir(), 'grokdrive-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { seconds: 1.2, fps: 5, width: 160, height: 120 };

describe('synthetic drives', () => {
  it('are byte-identical for the same seed and differ between seeds', async () => {
    const a = join(dir, 'a.mcap');
    const b = join(dir, 'b.mcap');
    const c = join(dir, 'c.mcap');
    await writeSyntheticDrive(a, { seed: 11, ...small });
    await writeSyntheticDrive(b, { seed: 11, ...small });
    await writeSyntheticDrive(c, { seed: 12, ...small });
    const bytesA = readFileSync(a);
    expect(bytesA.length).toBeGreaterThan(10_000);
    expect(Buffer.compare(bytesA, readFileSync(b))).toBe(0);
    expect(Buffer.compare(bytesA, readFileSync(c))).not.toBe(0);
  });

  it('hold images, calibration, poses and ground truth for every frame', async () => {
    const path = join(dir, 'content.mcap');
    const summary = await writeSyntheticDrive(path, { seed: 3, ...small });
    expect(summary.frames).toBe(6);
    const reader = await DriveReader.open(path);
    try {
      const counts = Object.fromEntries(reader.summary().topics.map((t) => [t.topic, t.messageCount]));
      expect(counts[topics.cameraImage('front')]).toBe(6);
      expect(counts[topics.cameraCalibration('front')]).toBe(6);
      expect(counts[topics.egoPose]).toBe(6);
      expect(counts[topics.groundTruthSegmentation('front')]).toBe(6);
      expect(counts[topics.groundTruthOccupancy]).toBe(6);

      const frames = [];
      for await (const f of reader.frames()) frames.push(f);
      expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(frames[0].image.format).toBe('jpeg');
      expect(frames[0].calibration.width).toBe(160);
      // The ego moves forward along its route between frames (speed of a town street).
      const p0 = frames[0].egoPose!.position;
      const p5 = frames[5].egoPose!.position;
      const speed = Math.hypot(p5.x - p0.x, p5.y - p0.y) / 1.0;
      expect(speed).toBeGreaterThan(2);
      expect(speed).toBeLessThan(15);

      for await (const m of reader.messages({ topics: [topics.groundTruthSegmentation('front')] })) {
        const msg = m.message as { width: number; height: number; encoding: string; data: Uint8Array };
        expect(msg.encoding).toBe('mono8');
        expect(msg.data.length).toBe(160 * 120);
        expect(Math.max(...msg.data)).toBeLessThanOrEqual(11);
        break;
      }
      for await (const m of reader.messages({ topics: [topics.groundTruthOccupancy] })) {
        const grid = gridFromFoxglove(m.message as Record<string, unknown>);
        expect(grid.frameId).toBe('world');
        const occupied = grid.logOdds.filter((v) => v > 0).length;
        // A town street: some cells are buildings or cars, most of the road is free.
        expect(occupied).toBeGreaterThan(grid.logOdds.length * 0.02);
        expect(occupied).toBeLessThan(grid.logOdds.length * 0.8);
        break;
      }
    } finally {
      await reader.close();
    }
  });
});
