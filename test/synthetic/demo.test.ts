import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../bin/commands/demo.js';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { topics } from '../../types/topics.js';

const dir = mkdtempSync(join(tmpdir(), 'grokdrive-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grokdrive demo', () => {
  it('synthesises a drive, replays it with the committed model and scores it against ground truth', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: unknown) => void printed.push(String(s)));
    let code: number;
    try {
      code = await run(['--seconds', '2', '--seed', '5', '--out-dir', dir, '--json']);
    } finally {
      log.mockRestore();
    }
    expect(code).toBe(0);
    const report = JSON.parse(printed.join('\n'));
    expect(report.drive.frames).toBe(20);
    expect(report.replay.frames).toEqual({ total: 20, processed: 20, dropped: 0, failed: 0 });
    const result = join(dir, 'result.mcap');
    expect(existsSync(result)).toBe(true);
    const reader = await DriveReader.open(result);
    try {
      const counts = Object.fromEntries(reader.summary().topics.map((t) => [t.topic, t.messageCount]));
      expect(counts[topics.segmentation('front')]).toBe(20);
      expect(counts[topics.occupancy]).toBe(20);
    } finally {
      await reader.close();
    }
    // The CamVid model recognises the synthetic street in part: road and sky clearly.
    const iou = Object.fromEntries(report.groundTruth.segmentation.perClass.map((c: { name: string; iou: number }) => [c.name, c.iou]));
    expect(iou.Road).toBeGreaterThan(0.4);
    expect(iou.Sky).toBeGreaterThan(0.4);
    expect(report.groundTruth.segmentation.mIoU).toBeGreaterThan(0.12);
    // Most of what the engine calls free is drivable road.
    expect(report.groundTruth.occupancy.freeCorrect).toBeGreaterThan(0.7);
  });
});
