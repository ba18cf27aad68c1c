import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    expect(s.stereoPairs).toEqual({ checked: 108, missing: 0 });
    // The result log holds the right camera's input and the check's mask beside the outputs.
    const reader = await DriveReader.open(join(dir, 'result.mcap'));
    try {
      const counts = new Map<string, number>();
      let roads = 0;
      for await (const m of reader.messages()) {
        counts.set(m.topic, (counts.get(m.topic) ?? 0) + 1);
        if (m.topic === '/engine/frame_result' && Math.abs((m.message as { stereoRoadDeg?: { roll: number } }).stereoRoadDeg?.roll ?? 99) < 5) roads++;
      }
      expect(counts.get('/camera/image_03/image')).toBe(108);
      expect(counts.get('/camera/image_03/calibration')).toBe(108);
      expect(counts.get('/perception/image_02/stereo_ground')).toBe(108);
      expect(counts.get('/ego/pose')).toBe(108); // one per time, not one per camera
      expect(roads).toBe(108);
      // The written log replays with stereo again.
      const again = await replayDrive(join(dir, 'result.mcap'), join(dir, 'again.mcap'), { cameraId: 'image_02', stereoRight: 'image_03' });
      expect(again.frames.processed).toBe(108);
    } finally {
      await reader.close();
    }
  });

  it('counts the frames whose right image is missing from the log', async () => {
    // A copy of the drive (links) whose image_03 holds only frames 0..4.
    const root = join(dir, 'partial');
    const drive = join(root, 'drive_sync');
    mkdirSync(join(drive, 'image_03', 'data'), { recursive: true });
    const parent = dirname(kittiDrive);
    for (const f of readdirSync(parent).filter((f) => f.startsWith('calib_'))) symlinkSync(join(parent, f), join(root, f));
    for (const d of ['image_02', 'oxts']) symlinkSync(join(kittiDrive, d), join(drive, d));
    copyFileSync(join(kittiDrive, 'image_03', 'timestamps.txt'), join(drive, 'image_03', 'timestamps.txt'));
    for (let i = 0; i < 5; i++) {
      const name = `${String(i).padStart(10, '0')}.png`;
      symlinkSync(join(kittiDrive, 'image_03', 'data', name), join(drive, 'image_03', 'data', name));
    }
    const log = join(dir, 'partial.mcap');
    await importKittiRaw(drive, log, { cameras: ['image_02', 'image_03'], lidar: false });
    const s = await replayDrive(log, join(dir, 'partial-result.mcap'), { cameraId: 'image_02', stereoRight: 'image_03' });
    expect(s.frames.processed).toBe(108);
    expect(s.stereoPairs).toEqual({ checked: 5, missing: 103 });
  });

  it('names the right camera the log has when stereo was not asked for', async () => {
    const s = await replayDrive(input, join(dir, 'mono.mcap'), { cameraId: 'image_02' });
    expect(s.stereoRight).toBeUndefined();
    expect(s.stereoAvailable).toEqual(['image_03']);
    expect(s.stages.stereo).toBeUndefined();
    // image_02 sits left of image_03, not right: replaying image_03 has no partner to suggest,
    // and 'auto' finds none there (a plain replay, no error).
    const right = await replayDrive(input, join(dir, 'mono-right.mcap'), { cameraId: 'image_03', stereoRight: 'auto' });
    expect(right.stereoAvailable).toBeUndefined();
    expect(right.stereoRight).toBeUndefined();
    expect(right.frames.processed).toBe(108);
  });

  it("pairs the log's right camera by itself with 'auto'", async () => {
    const s = await replayDrive(input, join(dir, 'auto.mcap'), { cameraId: 'image_02', stereoRight: 'auto' });
    expect(s.stereoRight).toBe('image_03');
    expect(s.stereoPairs).toEqual({ checked: 108, missing: 0 });
    expect(s.stereoAvailable).toBeUndefined();
  });

  it('says which camera is wrong', async () => {
    await expect(replayDrive(input, join(dir, 'bad.mcap'), { cameraId: 'image_02', stereoRight: 'image_09' })).rejects.toThrow(/stereo right camera 'image_09' is not in the log \(cameras: image_02, image_03\)/);
    await expect(replayDrive(input, join(dir, 'bad.mcap'), { cameraId: 'image_02', stereoRight: 'image_02' })).rejects.toThrow(/is the replayed camera itself/);
  });
});
