import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importKittiRaw } from '../../datasets/importers/importers.js';
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { DriveWriter } from '../../datasets/drive-log/writer.js';
import { gridFromFoxglove } from '../../datasets/drive-log/grid-message.js';
import { repoRoot } from '../../datasets/data-root.js';
import { topics } from '../../types/topics.js';
import { replayDrive, type ReplaySummary } from '../../engine/replay/replay-drive.js';
import { defaultPlanner } from '../../engine/planning/default-planner.js';
import { kittiDrive } from './kitti-frames.js';

let dir: string;
let input: string;
let summary: ReplaySummary;
let fullSize = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grokdrive-replay-'));
  input = join(dir, 'kitti.mcap');
  await importKittiRaw(kittiDrive, input, { cameras: ['image_02'] });
  // As `grokdrive replay` runs: planning toward the pose 3 s ahead, plans checked against lidar.
  summary = await replayDrive(input, join(dir, 'result.mcap'), { planner: defaultPlanner() });
  fullSize = statSync(join(dir, 'result.mcap')).size;
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function countTopics(path: string): Promise<Map<string, number>> {
  const reader = await DriveReader.open(path);
  const counts = new Map<string, number>();
  try {
    for await (const m of reader.messages()) counts.set(m.topic, (counts.get(m.topic) ?? 0) + 1);
  } finally {
    await reader.close();
  }
  return counts;
}

describe('grokdrive replay of the KITTI drive', () => {
  it('processes every frame and summarises the run', () => {
    expect(summary.frames).toEqual({ total: 108, processed: 108, dropped: 0, failed: 0 });
    expect(summary.problems).toEqual([]);
    for (const stage of ['decode', 'segment', 'project', 'fuse', 'total']) {
      const s = summary.stages[stage];
      expect(s.count, stage).toBe(108);
      expect(s.p50Ms).toBeLessThanOrEqual(s.p95Ms);
    }
    expect(summary.driveSeconds).toBeGreaterThan(10.5);
    expect(summary.driveSeconds).toBeLessThan(11.5);
    expect(summary.realTimeFactor).toBeGreaterThan(0);
  });

  it('plans every frame and checks the plans at the 11 lidar scans against them', () => {
    const ol = summary.openLoop;
    expect(ol.plans).toBeGreaterThan(100);
    expect(ol.plansOk).toBeGreaterThan(90);
    expect(summary.stages.plan.count).toBe(108);
    // A scan's frame is checked when its plan succeeded; none of them drives into what lidar sees.
    expect(ol.lidarFramesChecked).toBeGreaterThanOrEqual(8);
    expect(ol.lidarFramesChecked).toBeLessThanOrEqual(11);
    expect(ol.plansCrossingOccupied).toBe(0);
    expect(ol.lidarChecksFailed.count).toBe(0);
  });

  it('writes inputs and every stage output, one per frame, with Foxglove schemas', async () => {
    const result = join(dir, 'result.mcap');
    const reader = await DriveReader.open(result);
    try {
      const s = reader.summary();
      expect(s.complete).toBe(true);
      const schema = new Map(s.topics.map((t) => [t.topic, t]));
      expect(schema.get(topics.cameraImage('image_02'))?.messageCount).toBe(108);
      expect(schema.get(topics.segmentation('image_02'))).toMatchObject({ schemaName: 'foxglove.RawImage', messageCount: 108 });
      expect(schema.get(topics.occupancy)).toMatchObject({ schemaName: 'foxglove.Grid', messageCount: 108 });
      expect(schema.get(topics.frameResult)?.messageCount).toBe(108);
      expect(schema.get(topics.lidar)?.messageCount).toBe(11);
      expect(schema.get(topics.segmentationClasses)?.messageCount).toBe(1);
      // The result log replays like an input: frames come back with calibration, pose and road height.
      let frames = 0;
      for await (const f of reader.frames()) {
        expect(f.egoPose).toBeDefined();
        expect(f.groundZ).toBeLessThan(-0.5);
        frames++;
      }
      expect(frames).toBe(108);
      const gridMsg = await reader.messageAt(topics.occupancy, s.endNs);
      const grid = gridFromFoxglove(gridMsg!.message as Record<string, unknown>);
      expect(grid.width * grid.height).toBe(160000);
      expect(grid.logOdds.some((v) => v < -0.2)).toBe(true);
      const fr = await reader.messageAt(topics.frameResult, s.endNs);
      expect(fr!.message).toMatchObject({ index: 107, status: 'processed' });
    } finally {
      await reader.close();
    }
  });

  it('leaves out a lidar scan it cannot read, and says so', async () => {
    const reader = await DriveReader.open(input);
    const small = join(dir, 'bad-scan.mcap');
    const w = await DriveWriter.create(small);
    try {
      let i = 0;
      for await (const f of reader.frames()) {
        await w.writeFrame(f);
        if (i === 3) await w.writeLidar(f.timeNs, new Float32Array([5, 0, -1.7, 0.1, 6, 1, -1.7, 0.1]));
        if (i === 6) {
          await w.writeFoxglove(topics.lidar, 'foxglove.PointCloud', f.timeNs, {
            timestamp: f.timeNs, frame_id: 'velodyne', point_stride: 16, data: new Uint8Array(10),
            fields: ['x', 'y', 'z'].map((name, k) => ({ name, offset: 4 * k, type: 7 })),
          });
        }
        if (++i === 12) break;
      }
    } finally {
      await w.close();
      await reader.close();
    }
    const s = await replayDrive(small, join(dir, 'bad-scan-result.mcap'));
    expect(s.frames.processed).toBe(12);
    expect(s.skippedScans.count).toBe(1);
    expect(s.skippedScans.examples[0]).toMatch(/lidar\/points@\d+: point data of 10 bytes/);
    const counts = await countTopics(join(dir, 'bad-scan-result.mcap'));
    expect(counts.get(topics.lidar)).toBe(1);
  });

  it('leaves a readable prefix when killed halfway', async () => {
    const cli = join(repoRoot(), 'dist', 'bin', 'grokdrive.js');
    expect(existsSync(cli), 'run `npm run build` first (npm test does)').toBe(true);
    const out = join(dir, 'killed.mcap');
    const child = spawn(process.execPath, [cli, 'replay', input, '-o', out, '--no-plan'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill it once roughly a third of the result is on disk.
    const deadline = Date.now() + 100_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(out) && statSync(out).size > fullSize / 3) break;
    }
    child.kill('SIGKILL');
    await exited;
    const size = statSync(out).size;
    expect(size).toBeLessThan(fullSize);
    const reader = await DriveReader.open(out);
    try {
      expect(reader.summary().complete).toBe(false);
    } finally {
      await reader.close();
    }
    const counts = await countTopics(out);
    const results = counts.get(topics.frameResult) ?? 0;
    expect(results).toBeGreaterThan(5);
    expect(results).toBeLessThan(108);
    // Whole frames: each recorded frame result comes with its grid and segmentation (give or
    // take the frame being written when the process died).
    expect(Math.abs((counts.get(topics.occupancy) ?? 0) - results)).toBeLessThanOrEqual(1);
    expect(Math.abs((counts.get(topics.segmentation('image_02')) ?? 0) - results)).toBeLessThanOrEqual(1);
  });
});
