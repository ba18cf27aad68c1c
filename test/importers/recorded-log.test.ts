/** A recorded drive as a frame source: frames (and lidar) come back in time order, as an Observable too. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, toArray, take } from 'rxjs';
import { dataPath } from '../../datasets/data-root.js';
import { importKittiOdometry } from '../../datasets/importers/importers.js';
import { importSource } from '../../datasets/importers/import-source.js';
import { openKittiRaw } from '../../sensors/sources/kitti-raw.js';
import { openRecordedLog } from '../../sensors/sources/recorded-log.js';
import { sourceFrames$ } from '../../sensors/sources/frame-source.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-recorded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recorded-log frame source', () => {
  it('replays an imported odometry sequence frame for frame', async () => {
    const path = join(dir, 'odo.mcap');
    await importKittiOdometry(dataPath('kitti-odometry', '06'), path);
    const src = await openRecordedLog(path);
    expect(src.expectedFrames).toBe(51);
    const frames = await firstValueFrom(sourceFrames$(src).pipe(toArray()));
    expect(frames.map((f) => f.index)).toEqual([...Array(51).keys()]);
    expect(frames.every((f) => f.egoPose && f.calibration.width === 1226)).toBe(true);
    const firstThree = await firstValueFrom(sourceFrames$(src).pipe(take(3), toArray()));
    expect(firstThree.map((f) => f.index)).toEqual([0, 1, 2]);
    await src.close();
  });

  it('merges lidar scans between frames by time, and the log can itself be imported again', async () => {
    const path = join(dir, 'raw.mcap');
    await importSource(await openKittiRaw(dataPath('kitti-raw', '2011_09_26_drive_0001_sync'), { cameras: ['image_02'] }), path);
    const src = await openRecordedLog(path, { lidar: true });
    expect(src.mounts.map((m) => m.child).sort()).toEqual(['road', 'velodyne']);
    const kinds: string[] = [];
    let last = -1n;
    for await (const item of src.items()) {
      const t = item.kind === 'frame' ? item.frame.timeNs : item.kind === 'lidar' ? item.scan.timeNs : -1n;
      expect(t >= last).toBe(true);
      last = t;
      kinds.push(item.kind === 'lidar' ? `L${item.scan.index}` : item.kind === 'frame' ? `F${item.frame.index}` : 'S');
    }
    expect(kinds.filter((k) => k.startsWith('F')).length).toBe(108);
    expect(kinds.filter((k) => k.startsWith('L'))).toEqual(['L0', 'L10', 'L20', 'L30', 'L40', 'L50', 'L60', 'L70', 'L80', 'L90', 'L100']);
    expect(kinds.indexOf('L10')).toBeLessThan(kinds.indexOf('F10') + 2);
    await src.close();

    // Log -> log: a recorded drive is itself a source the importer can copy.
    const copy = join(dir, 'copy.mcap');
    const again = await openRecordedLog(path, { lidar: true });
    const report = await importSource(again, copy);
    await again.close();
    expect([report.frames, report.lidarScans]).toEqual([108, 11]);
  });
});
