import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { OXTS_FIELDS, oxtsToPoses, parseKittiTimestamps, parseOxts, readOxtsFile, type OxtsRecord } from '../../sensors/oxts.js';
import { eulerFromQuat, pose2FromPose3 } from '../../sensors/pose.js';

const drive = dataPath('kitti-raw', '2011_09_26_drive_0001_sync');
const oxtsDir = join(drive, 'oxts');

function loadDrive(): { records: OxtsRecord[]; times: bigint[] } {
  const files = readdirSync(join(oxtsDir, 'data')).filter((f) => f.endsWith('.txt')).sort();
  const records = files.map((f) => readOxtsFile(join(oxtsDir, 'data', f)));
  const times = parseKittiTimestamps(readFileSync(join(oxtsDir, 'timestamps.txt'), 'utf8'), join(oxtsDir, 'timestamps.txt'));
  return { records, times };
}

describe('parseOxts', () => {
  it('reads the 30 named fields of a KITTI record', () => {
    const r = readOxtsFile(join(oxtsDir, 'data', '0000000000.txt'));
    expect(Object.keys(r)).toEqual([...OXTS_FIELDS]);
    expect(r.lat).toBe(49.015003823272);
    expect(r.lon).toBe(8.4342971002335);
    expect(r.yaw).toBe(-2.6087069803847);
    expect(r.vf).toBe(13.172716663769);
    expect(r.orimode).toBe(0);
  });

  it('names the file and the problem on bad input', () => {
    const good = readFileSync(join(oxtsDir, 'data', '0000000000.txt'), 'utf8').trim();
    expect(() => parseOxts('', 'a.txt')).toThrow(/a.txt: empty OXTS file/);
    expect(() => parseOxts(good.split(' ').slice(0, 29).join(' '), 'b.txt')).toThrow(/b.txt: expected 30 OXTS values, found 29/);
    expect(() => parseOxts(good.replace('13.172716663769', 'nan'), 'c.txt')).toThrow(/c.txt: OXTS field 9 \(vf\) is not a finite number: "nan"/);
    expect(() => parseOxts(`${good}\n${good}`, 'd.txt')).toThrow(/d.txt: expected one line/);
    expect(() => parseOxts(good.replace('49.015003823272', '149.0'), 'e.txt')).toThrow(/e.txt: latitude 149/);
    expect(() => readOxtsFile('/nonexistent/oxts.txt')).toThrow(/\/nonexistent\/oxts.txt: cannot read OXTS file/);
  });
});

describe('parseKittiTimestamps', () => {
  it('keeps all nine fractional digits', () => {
    const [t] = parseKittiTimestamps('2011-09-26 13:02:25.964389445\n', 'ts');
    expect(t).toBe(BigInt(Date.UTC(2011, 8, 26, 13, 2, 25)) * 1_000_000n + 964_389_445n);
  });

  it('names the file and line of a malformed stamp', () => {
    expect(() => parseKittiTimestamps('2011-09-26 13:02:25.1\nyesterday\n', 'ts.txt')).toThrow(/ts.txt:2: malformed timestamp "yesterday"/);
    expect(() => parseKittiTimestamps('2011-02-30 13:02:25.1\n', 'ts.txt')).toThrow(/ts.txt:1: invalid date\/time/);
    expect(() => parseKittiTimestamps('2011-09-26 25:02:25.1\n', 'ts.txt')).toThrow(/ts.txt:1: invalid date\/time/);
  });
});

describe('oxtsToPoses on KITTI raw 2011_09_26_drive_0001', () => {
  const { records, times } = loadDrive();
  const poses = oxtsToPoses(records);

  it('anchors the world frame at the first pose, x along its heading, z up', () => {
    expect(poses).toHaveLength(108);
    expect(poses[0].position).toEqual({ x: 0, y: 0, z: 0 });
    const e0 = eulerFromQuat(poses[0].orientation);
    expect(e0.yaw).toBeCloseTo(0, 12);
    // Roll and pitch stay: the world frame is level, not the vehicle's first attitude.
    expect(e0.roll).toBeCloseTo(records[0].roll, 9);
    expect(e0.pitch).toBeCloseTo(records[0].pitch, 9);
    // Headings are relative to the first one.
    expect(pose2FromPose3(poses[50]).yaw).toBeCloseTo(records[50].yaw - records[0].yaw, 9);
  });

  it('moves at the recorded forward speed (vf) between successive fixes', () => {
    // Speed from successive Mercator positions and the genuine OXTS timestamps against the mean
    // of the two records' vf. A wrong Mercator scale (e.g. no cos(lat)) would be 52 % off; a
    // wrong earth radius or degree/radian mix-up would be far off too.
    let worst = 0;
    let pathLength = 0;
    for (let i = 1; i < poses.length; i++) {
      const a = poses[i - 1].position;
      const b = poses[i].position;
      const step = Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
      pathLength += step;
      const speed = step / (Number(times[i] - times[i - 1]) / 1e9);
      worst = Math.max(worst, Math.abs(speed - (records[i].vf + records[i - 1].vf) / 2));
    }
    expect(worst).toBeLessThan(0.1);
    expect(pathLength).toBeGreaterThan(105);
    expect(pathLength).toBeLessThan(109);
  });

  it('drives forward along its own heading (vehicle x axis)', () => {
    // The displacement between successive poses, seen from the vehicle, points along +x.
    for (let i = 1; i < poses.length; i++) {
      const a = pose2FromPose3(poses[i - 1]);
      const b = pose2FromPose3(poses[i]);
      const heading = Math.atan2(b.y - a.y, b.x - a.x);
      expect(Math.abs(Math.atan2(Math.sin(heading - a.yaw), Math.cos(heading - a.yaw)))).toBeLessThan((3 * Math.PI) / 180);
    }
    // Altitude varies by about 6 cm over the drive.
    const zs = poses.map((p) => p.position.z);
    expect(Math.max(...zs) - Math.min(...zs)).toBeLessThan(0.2);
  });

  it('returns no poses for no records', () => {
    expect(oxtsToPoses([])).toEqual([]);
  });
});
