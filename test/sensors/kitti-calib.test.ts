import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { CameraModel } from '../../sensors/camera.js';
import {
  KITTI_CAMERA_HEIGHT,
  kittiOdometryCalibration,
  kittiOdometryPoses,
  kittiRawCalibration,
  parseKittiOdometryCalib,
} from '../../sensors/kitti-calib.js';
import { angleBetweenQuats, eulerFromQuat, invertPose3, pose2FromPose3, rotateVec3, transformPoint } from '../../sensors/pose.js';
import type { Pose3 } from '../../types/geometry.js';

const calibDir = dataPath('kitti-raw');
const drive = join(calibDir, '2011_09_26_drive_0001_sync');
const W = 397;
const H = 120;

function readScan(frame: number): Float32Array {
  const buf = readFileSync(join(drive, 'velodyne_points', 'data', `${String(frame).padStart(10, '0')}.bin`));
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

function copyCalibs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'grokdrive-calib-'));
  for (const f of ['calib_cam_to_cam.txt', 'calib_velo_to_cam.txt', 'calib_imu_to_velo.txt']) copyFileSync(join(calibDir, f), join(dir, f));
  return dir;
}

function editFile(path: string, from: RegExp, to: string): void {
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`test setup: ${from} not found in ${path}`);
  writeFileSync(path, edited);
}

describe('kittiRawCalibration', () => {
  const cam2 = kittiRawCalibration(calibDir, 2, W, H);
  const cam3 = kittiRawCalibration(calibDir, 3, W, H);

  it('scales P_rect_02 to the 397x120 images (data README figures)', () => {
    const c = cam2.calibration;
    expect(c.cameraId).toBe('image_02');
    expect([c.width, c.height]).toEqual([W, H]);
    expect(c.fx).toBeCloseTo(230.64, 2);
    expect(c.fy).toBeCloseTo(230.89, 2);
    expect(c.cx).toBeCloseTo(194.5, 2);
    expect(c.cy).toBeCloseTo(54.97, 2);
    expect(c.distortion).toEqual([0, 0, 0, 0, 0]);
  });

  it('mounts the cameras looking forward, ahead of and above the IMU, 0.54 m apart', () => {
    for (const { calibration } of [cam2, cam3]) {
      const axis = rotateVec3(calibration.cameraToVehicle.orientation, { x: 0, y: 0, z: 1 });
      // The optical axis is within 2 degrees of the vehicle's x axis.
      expect(Math.acos(axis.x)).toBeLessThan((2 * Math.PI) / 180);
      const p = calibration.cameraToVehicle.position;
      expect(p.x).toBeGreaterThan(0.9);
      expect(p.x).toBeLessThan(1.2);
      expect(p.z).toBeGreaterThan(0.6);
      expect(p.z).toBeLessThan(0.8);
    }
    // Camera 2 is the left one: larger y. KITTI's colour stereo baseline is about 0.54 m.
    const dy = cam2.calibration.cameraToVehicle.position.y - cam3.calibration.cameraToVehicle.position.y;
    expect(dy).toBeGreaterThan(0.52);
    expect(dy).toBeLessThan(0.55);
    // Rectified cameras share one orientation.
    expect(angleBetweenQuats(cam2.calibration.cameraToVehicle.orientation, cam3.calibration.cameraToVehicle.orientation)).toBeLessThan(1e-9);
  });

  it('places the Velodyne 0.81 m ahead, 0.32 m right and 0.80 m above the IMU', () => {
    const p = cam2.lidarToVehicle.position;
    // -Rᵀ T of calib_imu_to_velo.txt; R is within 1 degree of the identity.
    expect(Math.abs(p.x - 0.81)).toBeLessThan(0.02);
    expect(Math.abs(p.y + 0.32)).toBeLessThan(0.02);
    expect(Math.abs(p.z - 0.8)).toBeLessThan(0.02);
  });

  it('puts the road plane where the lidar sees the road', () => {
    // Most common height of returns 4-15 m straight ahead (the road) in 5 cm bins, all scans.
    const bins = new Map<number, number>();
    for (let f = 0; f <= 100; f += 10) {
      const pts = readScan(f);
      for (let i = 0; i < pts.length; i += 4) {
        const v = transformPoint(cam2.lidarToVehicle, { x: pts[i], y: pts[i + 1], z: pts[i + 2] });
        if (v.x > 4 && v.x < 15 && Math.abs(v.y) < 2) {
          const k = Math.round(v.z / 0.05);
          bins.set(k, (bins.get(k) ?? 0) + 1);
        }
      }
    }
    const modeZ = [...bins].sort((a, b) => b[1] - a[1])[0][0] * 0.05;
    expect(Math.abs(modeZ - cam2.groundZ)).toBeLessThan(0.1);
  });

  it('projects lidar points into the image where they belong (frame 0)', () => {
    // Coarse criterion (the sharp one is the edge-alignment test below):
    // (a) of the returns 6-20 m deep that fall inside the image columns, at least 99.5 % fall
    //     inside the 120 rows (measured: 99.85 %). Unscaled intrinsics (cy = 172.9 > 120) put
    //     none there; a camera pitched up by 1 degree drops it to 96 %, 2 degrees to 89 %; a
    //     camera mounted 0.3 m too high, to 88 %.
    // (b) every road return (within 0.15 m of the road plane) lies below the horizon row. This
    //     only catches gross errors (an inverted transform putting the road above the camera).
    const { calibration, lidarToVehicle, groundZ } = cam2;
    const cam = new CameraModel(calibration);
    const horizon = cam.projectVehiclePoint({ x: 1e6, y: 0, z: cam.position.z })!.v;
    const pts = readScan(0);
    let inColumns = 0;
    let inRows = 0;
    let road = 0;
    let roadAboveHorizon = 0;
    for (let i = 0; i < pts.length; i += 4) {
      const v = transformPoint(lidarToVehicle, { x: pts[i], y: pts[i + 1], z: pts[i + 2] });
      const p = cam.projectVehiclePoint(v);
      if (p === null || p.depth < 6 || p.depth > 20 || p.u < -0.5 || p.u >= W - 0.5) continue;
      inColumns++;
      if (p.v >= -0.5 && p.v < H - 0.5) inRows++;
      if (Math.abs(v.z - groundZ) < 0.15) {
        road++;
        if (!(p.v > horizon)) roadAboveHorizon++;
      }
    }
    expect(inColumns).toBeGreaterThan(10_000);
    expect(inRows / inColumns).toBeGreaterThan(0.995);
    expect(road).toBeGreaterThan(3000);
    expect(roadAboveHorizon).toBe(0);
  });

  it('lines lidar depth edges up with image edges (0-1 px), and tells the two cameras apart', async () => {
    // Where the depth of neighbouring lidar pixels jumps by > 30 % (an object's outline), the
    // image has a strong gradient. Summing the gradient magnitude at those pixels for every
    // shift of up to 4 px, the best shift must be within 1 px of zero (measured: (0, 0) for
    // image_02, (1, 0) for image_03). One pixel is 0.25 degrees here: turning the camera by
    // 0.5 degrees in pitch or yaw moves the best shift to 2 px, 1 degree to 4 px, so rotation,
    // intrinsics and scaling errors all show. As a control, the other camera's calibration
    // (0.54 m baseline, ~12 px at 10 m) must move it by at least 3 px.
    const bestShift = async (imageCam: 2 | 3, calib: ReturnType<typeof kittiRawCalibration>) => {
      const cam = new CameraModel(calib.calibration);
      const R = 4;
      const score = new Float64Array((2 * R + 1) ** 2);
      for (let f = 0; f <= 100; f += 10) {
        const name = String(f).padStart(10, '0');
        const pts = readScan(f);
        const depth = new Float32Array(W * H).fill(Infinity);
        for (let i = 0; i < pts.length; i += 4) {
          const p = cam.projectVehiclePoint(transformPoint(calib.lidarToVehicle, { x: pts[i], y: pts[i + 1], z: pts[i + 2] }));
          if (p === null || p.depth < 3 || p.depth > 40) continue;
          const u = Math.round(p.u);
          const v = Math.round(p.v);
          if (u >= 0 && u < W && v >= 0 && v < H) depth[v * W + u] = Math.min(depth[v * W + u], p.depth);
        }
        const img = await sharp(join(drive, `image_0${imageCam}`, 'data', `${name}.png`)).greyscale().raw().toBuffer();
        const grad = new Float32Array(W * H);
        for (let v = 1; v < H - 1; v++) {
          for (let u = 1; u < W - 1; u++) {
            grad[v * W + u] = Math.hypot(img[v * W + u + 1] - img[v * W + u - 1], img[(v + 1) * W + u] - img[(v - 1) * W + u]);
          }
        }
        for (let v = R + 1; v < H - R - 1; v++) {
          for (let u = R + 2; u < W - R - 2; u++) {
            const d = depth[v * W + u];
            if (!Number.isFinite(d)) continue;
            const edge = [-2, -1, 1, 2].some((du) => depth[v * W + u + du] > d * 1.3 && Number.isFinite(depth[v * W + u + du]));
            if (!edge) continue;
            let k = 0;
            for (let dv = -R; dv <= R; dv++) for (let du = -R; du <= R; du++) score[k++] += grad[(v + dv) * W + u + du];
          }
        }
      }
      const best = score.indexOf(Math.max(...score));
      return { du: (best % (2 * R + 1)) - R, dv: Math.floor(best / (2 * R + 1)) - R };
    };
    for (const [imageCam, calib] of [[2, cam2], [3, cam3]] as const) {
      const s = await bestShift(imageCam, calib);
      expect(Math.abs(s.du)).toBeLessThanOrEqual(1);
      expect(Math.abs(s.dv)).toBeLessThanOrEqual(1);
    }
    expect(Math.abs((await bestShift(2, cam3)).du)).toBeGreaterThanOrEqual(3);
  });

  it('names the file and the problem on bad calibration files', () => {
    expect(() => kittiRawCalibration('/nonexistent', 2, W, H)).toThrow(/\/nonexistent\/calib_cam_to_cam.txt: cannot read KITTI camera calibration: file not found/);
    expect(() => kittiRawCalibration(calibDir, 4, W, H)).toThrow(/camera index must be 0..3/);
    expect(() => kittiRawCalibration(calibDir, 2, 400, 200)).toThrow(/calib_cam_to_cam.txt: image size 400x200 is not a resize of the calibrated 1242x375/);

    let dir = copyCalibs();
    editFile(join(dir, 'calib_cam_to_cam.txt'), /^P_rect_02:.*$/m, '');
    expect(() => kittiRawCalibration(dir, 2, W, H)).toThrow(/calib_cam_to_cam.txt: missing "P_rect_02" \(expected 12 numbers\)/);

    dir = copyCalibs();
    editFile(join(dir, 'calib_cam_to_cam.txt'), /^(P_rect_02: \S+) \S+/m, '$1');
    expect(() => kittiRawCalibration(dir, 2, W, H)).toThrow(/calib_cam_to_cam.txt:\d+: "P_rect_02": expected 12 numbers, found 11/);

    dir = copyCalibs();
    editFile(join(dir, 'calib_velo_to_cam.txt'), /^T: \S+/m, 'T: NaN');
    expect(() => kittiRawCalibration(dir, 2, W, H)).toThrow(/calib_velo_to_cam.txt:\d+: "T": value 1 is not a finite number: "NaN"/);

    dir = copyCalibs();
    editFile(join(dir, 'calib_imu_to_velo.txt'), /^R: \S+/m, 'R: 3.0');
    expect(() => kittiRawCalibration(dir, 2, W, H)).toThrow(/calib_imu_to_velo.txt: "R": not a rotation matrix/);

    dir = copyCalibs();
    editFile(join(dir, 'calib_imu_to_velo.txt'), /^R:/m, 'R');
    expect(() => kittiRawCalibration(dir, 2, W, H)).toThrow(/calib_imu_to_velo.txt:2: malformed line/);
  });
});

describe('KITTI odometry', () => {
  const seq = (s: string, f: string) => dataPath('kitti-odometry', s, f);

  it('reads P0 of the unlabelled calib.txt, and the labelled official form too', () => {
    const c = kittiOdometryCalibration(seq('06', 'calib.txt'), 1226, 370);
    expect(c).toMatchObject({ cameraId: 'image_0', width: 1226, height: 370, fx: 707.0912, fy: 707.0912, cx: 601.8873, cy: 183.1104 });
    const c01 = kittiOdometryCalibration(seq('01', 'calib.txt'), 1241, 376);
    expect(c01.fx).toBe(718.856);
    // Camera 1.65 m above the vehicle origin on the road, looking along +x.
    expect(c.cameraToVehicle.position).toEqual({ x: 0, y: 0, z: KITTI_CAMERA_HEIGHT });
    expect(rotateVec3(c.cameraToVehicle.orientation, { x: 0, y: 0, z: 1 })).toEqual({ x: expect.closeTo(1, 12), y: expect.closeTo(0, 12), z: expect.closeTo(0, 12) });
    const lines = readFileSync(seq('06', 'calib.txt'), 'utf8').trim().split('\n');
    const labelled = parseKittiOdometryCalib(`P0: ${lines[0]}\nP1: ${lines[1]}\nTr: ${lines[0]}\n`, 'calib.txt');
    expect([...labelled.keys()]).toEqual(['P0', 'P1', 'Tr']);
    expect(labelled.get('P1')![3]).toBeCloseTo(-379.8145, 4);
    // The cameras are 0.537 m apart.
    expect(-labelled.get('P1')![3] / labelled.get('P0')![0]).toBeCloseTo(0.537, 3);
  });

  it('names the file on bad calibration and pose files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grokdrive-odo-'));
    writeFileSync(join(dir, 'calib.txt'), '7.07e2 0 601 0 0 707 183 0 0 0 1\n');
    expect(() => kittiOdometryCalibration(join(dir, 'calib.txt'), 1226, 370)).toThrow(/calib.txt:1: "P0": expected 12 numbers, found 11/);
    writeFileSync(join(dir, 'empty.txt'), '\n');
    expect(() => kittiOdometryCalibration(join(dir, 'empty.txt'), 1226, 370)).toThrow(/empty.txt: no P0 projection matrix/);
    expect(() => kittiOdometryCalibration(join(dir, 'missing.txt'), 1226, 370)).toThrow(/missing.txt: cannot read KITTI odometry calibration: file not found/);
    const poses = readFileSync(seq('06', 'poses.txt'), 'utf8').split('\n');
    writeFileSync(join(dir, 'poses.txt'), [poses[0], poses[1].replace(/^\S+/, 'x'), ''].join('\n'));
    expect(() => kittiOdometryPoses(join(dir, 'poses.txt'))).toThrow(/poses.txt:2: value 1 is not a finite number: "x"/);
    writeFileSync(join(dir, 'poses.txt'), '');
    expect(() => kittiOdometryPoses(join(dir, 'poses.txt'))).toThrow(/poses.txt: no poses/);
  });

  const heading = (p: Pose3) => pose2FromPose3(p).yaw;

  it('sequence 06: about 60 m nearly straight ahead', () => {
    const poses = kittiOdometryPoses(seq('06', 'poses.txt'));
    expect(poses).toHaveLength(51);
    expect(poses[0].position.x).toBeCloseTo(0, 6);
    const end = poses[50].position;
    expect(end.x).toBeGreaterThan(55);
    expect(end.x).toBeLessThan(65);
    expect(Math.abs(end.y)).toBeLessThan(2);
    expect(Math.abs(end.z)).toBeLessThan(2);
    expect(Math.abs(heading(poses[50]))).toBeLessThan((3 * Math.PI) / 180);
  });

  it('sequence 01: turns about 98 degrees to the right over 51 poses', () => {
    const poses = kittiOdometryPoses(seq('01', 'poses.txt'));
    expect(poses).toHaveLength(51);
    // Right turn = negative yaw about the up axis.
    expect((heading(poses[50]) * 180) / Math.PI).toBeGreaterThan(-101);
    expect((heading(poses[50]) * 180) / Math.PI).toBeLessThan(-95);
    // The car goes forward (vehicle +x) at every step and ends right of where it started.
    for (let i = 1; i < poses.length; i++) {
      const local = transformPoint(invertPose3(poses[i - 1]), poses[i].position);
      expect(local.x).toBeGreaterThan(0);
      expect(Math.abs(local.y)).toBeLessThan(0.1 * local.x);
    }
    expect(poses[50].position.y).toBeLessThan(-20);
    // The vehicle stays roughly level (roll and pitch of a ramp, not of wrongly turned axes).
    const e = eulerFromQuat(poses[50].orientation);
    expect(Math.abs(e.pitch)).toBeLessThan(0.15);
    expect(Math.abs(e.roll)).toBeLessThan(0.15);
    expect(angleBetweenQuats(poses[0].orientation, { x: 0, y: 0, z: 0, w: 1 })).toBeLessThan(1e-6);
  });
});
