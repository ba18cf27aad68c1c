/**
 * KITTI raw import on the shared drive 2011_09_26_drive_0001 (108 frames, 397x120 images,
 * 11 lidar scans): completeness, byte-identical images, determinism, and a lidar-to-image
 * check that fails when the calibration or its rescaling is wrong.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '../../datasets/data-root.js';
import { DriveReader } from '../../datasets/drive-log/reader.js';
import { importKittiRaw } from '../../datasets/importers/importers.js';
import type { ImportReport } from '../../datasets/importers/import-source.js';
import { CameraModel } from '../../sensors/camera.js';
import { parseKittiTimestamps } from '../../sensors/oxts.js';
import { transformPoint } from '../../sensors/pose.js';
import { frames as frameIds, topics } from '../../types/topics.js';
import type { SensorFrame } from '../../types/index.js';

const drive = dataPath('kitti-raw', '2011_09_26_drive_0001_sync');
let dir: string;
let out: string;
let report: ImportReport;
const progress: [number, number][] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-kitti-raw-'));
  out = join(dir, 'drive.mcap');
  report = await importKittiRaw(drive, out, { onProgress: (d, t) => progress.push([d, t]) });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('import kitti-raw', () => {
  it('writes one image, pose and calibration per frame for both colour cameras, and the lidar scans', async () => {
    expect(report.frames).toBe(216);
    expect(report.framesPerCamera).toEqual({ image_02: 108, image_03: 108 });
    expect(report.lidarScans).toBe(11);
    expect(report.skipped).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(progress.at(-1)).toEqual([216, 216]);

    const r = await DriveReader.open(out);
    const s = r.summary();
    const count = (t: string) => s.topics.find((x) => x.topic === t)?.messageCount;
    for (const cam of ['image_02', 'image_03']) {
      expect(count(topics.cameraImage(cam))).toBe(108);
      expect(count(topics.cameraCalibration(cam))).toBe(108);
    }
    expect(count(topics.egoPose)).toBe(108);
    expect(count(topics.lidar)).toBe(11);
    await r.close();
  });

  it('reads back byte-identical images stamped with image_02/timestamps.txt, with rescaled calibration', async () => {
    const times = parseKittiTimestamps(await readFile(join(drive, 'image_02', 'timestamps.txt'), 'utf8'), 'timestamps.txt');
    const r = await DriveReader.open(out);
    const seen = { image_02: 0, image_03: 0 } as Record<string, number>;
    for await (const f of r.frames()) {
      const file = join(drive, f.cameraId, 'data', `${String(f.index).padStart(10, '0')}.png`);
      expect(f.image.format).toBe('png');
      expect(Buffer.from(f.image.data).equals(await readFile(file))).toBe(true);
      expect(f.timeNs).toBe(times[f.index]);
      expect(f.egoPose).toBeDefined();
      expect(f.groundZ).toBeCloseTo(-0.93, 1);
      expect(f.calibration.width).toBe(397);
      expect(f.calibration.height).toBe(120);
      seen[f.cameraId]++;
    }
    expect(seen).toEqual({ image_02: 108, image_03: 108 });
    // P_rect_02 scaled to 397x120 with the pixel-centre convention (data README).
    const [first] = await collect(r.frames({ cameraIds: ['image_02'], endNs: times[0] }));
    expect(first.calibration.fx).toBeCloseTo(230.64, 2);
    expect(first.calibration.fy).toBeCloseTo(230.89, 2);
    expect(first.calibration.cx).toBeCloseTo(194.5, 2);
    expect(first.calibration.cy).toBeCloseTo(54.97, 2);
    await r.close();
  });

  it('builds a 107 m ego path anchored at the first pose', async () => {
    const r = await DriveReader.open(out);
    const positions = [];
    for await (const m of r.messages({ topics: [topics.egoPose] })) {
      positions.push((m.message as { translation: { x: number; y: number; z: number } }).translation);
    }
    // image_02's first stamp is 2.7 ms before the first OXTS sample: extrapolated, not clamped.
    expect(Math.hypot(positions[0].x, positions[0].y)).toBeLessThan(0.1);
    expect(Math.hypot(positions[0].x, positions[0].y)).toBeGreaterThan(0.01);
    let length = 0;
    for (let i = 1; i < positions.length; i++) length += Math.hypot(positions[i].x - positions[i - 1].x, positions[i].y - positions[i - 1].y);
    expect(length).toBeGreaterThan(104);
    expect(length).toBeLessThan(110);
    await r.close();
  });

  /*
   * Lidar through the imported calibration. The Velodyne's vertical field of view ends at +2°
   * and its returns 6-20 m ahead all lie on or near the road, cars, walls and poles, so with a
   * correct calibration (rescaled to 397x120): nearly every such point that falls in the
   * image's columns also falls in its 120 rows; every ground return (z within 0.25 m of the
   * road) lands below the horizon row; and none lands above row 39. Full-size intrinsics, a
   * missing rescale of cx/cy, swapped cameras or a wrong extrinsic break at least one of these.
   */
  it('projects lidar points into the image where they belong', async () => {
    const r = await DriveReader.open(out);
    const lidarMount = r.mountAt(frameIds.lidar, 0n)!;
    expect(lidarMount).toBeDefined();
    let scans = 0;
    for await (const m of r.messages({ topics: [topics.lidar] })) {
      const [frame] = await collect(r.frames({ cameraIds: ['image_02'], startNs: m.logTimeNs, endNs: m.logTimeNs }));
      expect(frame.index).toBe(m.sequence);
      const cam = new CameraModel(frame.calibration);
      const groundZ = frame.groundZ!;
      const pc = m.message as { data: Uint8Array };
      const xyzi = new Float32Array(new Uint8Array(pc.data).buffer);
      let inColumns = 0, inRows = 0, ground = 0, groundBelowHorizon = 0, aboveRow39 = 0;
      // Horizon: where a level ray (a point far ahead at camera height) projects.
      const camPos = frame.calibration.cameraToVehicle.position;
      const horizon = cam.projectVehiclePoint({ x: camPos.x + 1000, y: camPos.y, z: camPos.z })!.v;
      for (let i = 0; i < xyzi.length; i += 4) {
        const p = transformPoint(lidarMount, { x: xyzi[i], y: xyzi[i + 1], z: xyzi[i + 2] });
        const q = cam.projectVehiclePoint(p);
        if (!q || q.depth < 6 || q.depth > 20) continue;
        if (q.u < -0.5 || q.u > 396.5) continue;
        inColumns++;
        if (q.v >= -0.5 && q.v <= 119.5) inRows++;
        if (q.v < 38.5) aboveRow39++; // row 39 spans v in [38.5, 39.5) (pixel centres at integers)
        if (Math.abs(p.z - groundZ) < 0.25) {
          ground++;
          if (q.v > horizon) groundBelowHorizon++;
        }
      }
      expect(inColumns).toBeGreaterThan(2000);
      expect(inRows / inColumns).toBeGreaterThan(0.99);
      expect(ground).toBeGreaterThan(500);
      expect(groundBelowHorizon).toBe(ground);
      expect(aboveRow39).toBe(0);
      scans++;
    }
    expect(scans).toBe(11);
    await r.close();
  });

  it('is deterministic: importing twice gives byte-identical files', async () => {
    const again = join(dir, 'again.mcap');
    await importKittiRaw(drive, again);
    const [a, b] = await Promise.all([readFile(out), readFile(again)]);
    expect(a.equals(b)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});

async function collect(it: AsyncIterable<SensorFrame>): Promise<SensorFrame[]> {
  const out: SensorFrame[] = [];
  for await (const f of it) out.push(f);
  return out;
}
