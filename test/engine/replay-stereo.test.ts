import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importKittiRaw } from '../../datasets/importers/importers.js';
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { replayDrive } from '../../engine/replay/replay-drive.js';
import { kittiDrive } from './kitti-frames.js';

let dir: string;
let input: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grokdrive-replay-stereo-'));
  input = join(dir, 'kitti-stereo.mcap');
  await importKittiRaw(kittiDrive, input, { cameras: ['image_02', 'image_03'], lidar: false });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('stereo pairs in a drive log', () => {
  it('reads the right camera with the left one: one frame per pair', async () => {
    const reader = await DriveReader.open(input);
    try {
      let n = 0;
      for await (const f of reader.frames({ cameraIds: ['image_02'], stereoRight: 'image_03' })) {
        expect(f.cameraId).toBe('image_02');
        expect(f.stereo?.calibration.cameraId).toBe('image_03');
        expect(f.stereo?.source).toContain('/camera/image_03/image@');
        n++;
      }
      expect(n).toBe(108);
    } finally {
      await reader.close();
    }
  });

  it('replays with the stereo check on every frame', async () => {
    const s = await replayDrive(input, join(dir, 'result.mcap'), { cameraId: 'image_02', stereoRight: 'image_03' });
    expect(s.frames).toEqual({ total: 108, processed: 108, dropped: 0, failed: 0 });
    expect(s.stereoRight).toBe('image_03');
    expect(s.stages.stereo.count).toBe(108);
  });

  it('says which camera is wrong', async () => {
    await expect(replayDrive(input, join(dir, 'bad.mcap'), { cameraId: 'image_02', stereoRight: 'image_09' })).rejects.toThrow(/stereo right camera 'image_09' is not in the log \(cameras: image_02, image_03\)/);
    await expect(replayDrive(input, join(dir, 'bad.mcap'), { cameraId: 'image_02', stereoRight: 'image_02' })).rejects.toThrow(/is the replayed camera itself/);
  });
});
