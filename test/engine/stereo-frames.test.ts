import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { openKittiRaw } from '../../sensors/sources/kitti-raw.js';
import { createEngine } from '../../engine/create-engine.js';
import type { FrameResult, SensorFrame } from '../../types/index.js';
import type { SourceItem } from '../../sensors/sources/frame-source.js';
import { kittiDrive, pulled } from './kitti-frames.js';

async function firstItems(items: AsyncIterable<SourceItem>, n: number): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}

async function stereoFrames(n: number): Promise<SensorFrame[]> {
  const source = await openKittiRaw(kittiDrive, { cameras: ['image_02', 'image_03'], stereoPairs: true, lidar: false });
  return (await firstItems(source.items(), n)).flatMap((i) => (i.kind === 'frame' ? [i.frame] : []));
}

describe('stereo pairs from a KITTI raw drive', () => {
  it('attaches image_03 to the image_02 frame of the same number', async () => {
    const source = await openKittiRaw(kittiDrive, { cameras: ['image_02', 'image_03'], stereoPairs: true, lidar: false });
    expect(source.cameraIds).toEqual(['image_02']);
    expect(source.expectedFrames).toBe(108);
    const items = await firstItems(source.items(), 3);
    for (const [k, item] of items.entries()) {
      expect(item.kind).toBe('frame');
      if (item.kind !== 'frame') continue;
      expect(item.frame.index).toBe(k);
      expect(item.frame.cameraId).toBe('image_02');
      expect(item.frame.stereo?.calibration.cameraId).toBe('image_03');
      expect(item.frame.stereo?.source).toMatch(new RegExp(`image_03/data/${String(k).padStart(10, '0')}\\.png$`));
    }
  });

  it('yields a frame whose right image is missing on its own, and reports the missing file', async () => {
    // A copy of the drive (links) whose image_03 holds only frame 0.
    const root = mkdtempSync(join(tmpdir(), 'grokdrive-stereo-'));
    try {
      const parent = dirname(kittiDrive);
      for (const f of readdirSync(parent).filter((f) => f.startsWith('calib_'))) symlinkSync(join(parent, f), join(root, f));
      const drive = join(root, 'drive_sync');
      mkdirSync(join(drive, 'image_03', 'data'), { recursive: true });
      for (const d of ['image_02', 'oxts']) symlinkSync(join(kittiDrive, d), join(drive, d));
      writeFileSync(join(drive, 'image_03', 'timestamps.txt'), readFileSync(join(kittiDrive, 'image_03', 'timestamps.txt')));
      symlinkSync(join(kittiDrive, 'image_03', 'data', '0000000000.png'), join(drive, 'image_03', 'data', '0000000000.png'));
      const source = await openKittiRaw(drive, { cameras: ['image_02', 'image_03'], stereoPairs: true, lidar: false });
      const [first, second, skipped] = await firstItems(source.items(), 3);
      expect(first.kind === 'frame' && first.frame.stereo !== undefined).toBe(true);
      expect(second.kind === 'frame' && second.frame.index === 1 && second.frame.stereo === undefined).toBe(true);
      expect(skipped.kind === 'skipped' && skipped.skipped.cameraId === 'image_03' && skipped.skipped.reason).toBe('file missing');
      await expect(openKittiRaw(drive, { cameras: ['image_02'], stereoPairs: true })).rejects.toThrow(/stereo pairs need image_03/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('engine with stereo frames', () => {
  it('runs the stereo check per frame; a bad right image costs only the check, a bad rig fails the frame', async () => {
    const frames = await stereoFrames(4);
    frames[1] = { ...frames[1], stereo: { ...frames[1].stereo!, image: { format: 'png', data: new Uint8Array([1, 2, 3, 4]) } } };
    frames[2] = { ...frames[2], stereo: { ...frames[2].stereo!, calibration: { ...frames[2].stereo!.calibration, fx: frames[2].stereo!.calibration.fx * 1.1 } } };
    const engine = await createEngine({ keepFrames: false });
    let results: FrameResult[] = [];
    try {
      results = await lastValueFrom(engine.run(pulled(frames)).pipe(toArray()));
      expect(results.map((r) => r.status)).toEqual(['processed', 'processed', 'failed', 'processed']);
      expect(results[0].timings.stereo).toBeGreaterThan(0);
      expect(results[0].diagnostics).toEqual([]);
      expect(results[1].timings.stereo).toBeUndefined();
      expect(results[1].diagnostics.map((d) => `${d.level} ${d.message}`).join()).toMatch(/^warn stereo right image skipped.*image_03\/data\/0000000001\.png/);
      expect(results[2].reason).toMatch(/stereo: 'image_03' is not the rectified right camera of 'image_02': fx/);
      expect(results[3].grid).toBeDefined();
      expect(results[0].stereoGround!.mask.length).toBe(397 * 120);
      expect(Math.abs(results[0].stereoGround!.road!.roll)).toBeLessThan(0.1);
    } finally {
      await engine.dispose();
    }
    // In this thread the check gives the same masks and road as in the worker.
    const inThread = await createEngine({ keepFrames: false, stereoThread: 'main' });
    try {
      const again = await lastValueFrom(inThread.run(pulled(frames)).pipe(toArray()));
      for (const k of [0, 3]) {
        expect(again[k].stereoGround!.mask).toEqual(results[k].stereoGround!.mask);
        expect(again[k].stereoGround!.road).toEqual(results[k].stereoGround!.road);
      }
    } finally {
      await inThread.dispose();
    }
    await expect(createEngine({ stereoThread: 'gpu' as 'main' })).rejects.toThrow(/stereoThread must be 'worker' or 'main', got 'gpu'/);
    // stereo: false ignores the right images.
    const mono = await createEngine({ keepFrames: false, stereo: false });
    try {
      const results = await lastValueFrom(mono.run(pulled(frames)).pipe(toArray()));
      expect(results.map((r) => r.status)).toEqual(['processed', 'processed', 'processed', 'processed']);
      expect(results.every((r) => r.timings.stereo === undefined && r.diagnostics.length === 0)).toBe(true);
    } finally {
      await mono.dispose();
    }
  });
});
