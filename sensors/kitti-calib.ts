/**
 * KITTI calibration files to grokdrive calibrations.
 *
 * KITTI raw (calib_cam_to_cam.txt, calib_velo_to_cam.txt, calib_imu_to_velo.txt in the date
 * folder): a point X in the IMU frame reaches rectified camera N's pixel as
 *   P_rect_0N * R_rect_00 * T_cam0_velo * T_velo_imu * X.
 * P_rect_0N = K [I | t] with t = K⁻¹ P(:, 3) the offset of camera N from rectified camera 0.
 * The vehicle (base_link) frame is the IMU frame: x forward, y left, z up.
 *
 * KITTI odometry (calib.txt with P0, P1, ... and poses.txt of camera 0): the sequences ship no
 * vehicle frame, so grokdrive defines one: camera 0's axes turned to REP 103 (x forward, y left,
 * z up) with its origin on the road 1.65 m below the camera (KITTI's published camera height).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pose3 } from '../types/geometry.js';
import type { CameraCalibration } from '../types/messages.js';
import { rescaleCalibration } from './camera.js';
import { composePose3, invertPose3, pose3FromMatrix, type Mat3 } from './pose.js';

/** Height of KITTI's camera 0 above the road (KITTI setup description), metres. */
export const KITTI_CAMERA_HEIGHT = 1.65;

/** Height of KITTI's Velodyne above the road (KITTI setup description), metres. */
export const KITTI_VELODYNE_HEIGHT = 1.73;

/**
 * Camera (x right, y down, z forward) to REP 103 vehicle axes (x forward, y left, z up):
 * vehicle x = camera z, vehicle y = -camera x, vehicle z = -camera y. Row-major.
 */
export const CAMERA_TO_REP103: Mat3 = [0, 0, 1, -1, 0, 0, 0, -1, 0];

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new Error(`${path}: cannot read ${what}: ${why}`);
  }
}

/** A parsed "key: v1 v2 ..." KITTI calibration file; values are checked when asked for. */
export class KittiCalibFile {
  private readonly entries = new Map<string, { line: number; text: string }>();

  constructor(text: string, readonly file: string) {
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`${file}:${i + 1}: malformed line (expected "key: values"): "${line}"`);
      this.entries.set(line.slice(0, colon).trim(), { line: i + 1, text: line.slice(colon + 1).trim() });
    });
  }

  static read(path: string, what = 'KITTI calibration file'): KittiCalibFile {
    return new KittiCalibFile(readText(path, what), path);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Exactly `count` finite numbers under `key`, or an error naming the file, line and key. */
  numbers(key: string, count: number): number[] {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`${this.file}: missing "${key}" (expected ${count} numbers)`);
    return parseNumbers(entry.text, count, `${this.file}:${entry.line}: "${key}"`);
  }
}

function parseNumbers(text: string, count: number, where: string): number[] {
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  if (tokens.length !== count) throw new Error(`${where}: expected ${count} numbers, found ${tokens.length}`);
  return tokens.map((t, i) => {
    const v = Number(t);
    if (!Number.isFinite(v)) throw new Error(`${where}: value ${i + 1} is not a finite number: "${t}"`);
    return v;
  });
}

/**
 * Throws unless m (row-major 3x3) is a rotation to within `tolerance` (KITTI prints 7 digits,
 * so R Rᵀ = I holds to about 1e-6): catches swapped fields and garbage numbers early.
 */
export function assertRotationMatrix(m: readonly number[], where: string, tolerance = 1e-3): void {
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const dot = m[3 * i] * m[3 * j] + m[3 * i + 1] * m[3 * j + 1] + m[3 * i + 2] * m[3 * j + 2];
      if (Math.abs(dot - (i === j ? 1 : 0)) > tolerance) {
        throw new Error(`${where}: not a rotation matrix (rows ${i + 1} and ${j + 1} give ${dot.toFixed(6)}, expected ${i === j ? 1 : 0})`);
      }
    }
  }
  const det =
    m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  if (det < 0) throw new Error(`${where}: not a rotation matrix (determinant ${det.toFixed(6)} is negative: a reflection)`);
}

/** The pose T_a_b (b's frame in a) from a KITTI "R" (row-major 3x3) and "T" entry. */
function rigidFrom(file: KittiCalibFile): Pose3 {
  const r = file.numbers('R', 9);
  assertRotationMatrix(r, `${file.file}: "R"`);
  const t = file.numbers('T', 3);
  return pose3FromMatrix(r, { x: t[0], y: t[1], z: t[2] });
}

/** Intrinsics and the baseline offset t = K⁻¹ P(:, 3) of a rectified 3x4 projection matrix. */
export function decomposeProjection(p: readonly number[], where: string): {
  fx: number; fy: number; cx: number; cy: number; t: { x: number; y: number; z: number };
} {
  const [fx, skew, cx, p03, zero10, fy, cy, p13, zero20, zero21, one, p23] = p;
  if (!(fx > 0 && fy > 0)) throw new Error(`${where}: focal lengths must be positive, got fx=${fx}, fy=${fy}`);
  if (Math.abs(skew) > 1e-9 || Math.abs(zero10) > 1e-9 || Math.abs(zero20) > 1e-9 || Math.abs(zero21) > 1e-9 || Math.abs(one - 1) > 1e-9) {
    throw new Error(`${where}: not a rectified projection matrix K [I | t] (expected zero skew and a bottom row 0 0 1 t)`);
  }
  const tz = p23;
  return { fx, fy, cx, cy, t: { x: (p03 - cx * tz) / fx, y: (p13 - cy * tz) / fy, z: tz } };
}

export interface KittiRawCalibration {
  /** Rectified camera N at the requested image size; cameraToVehicle = camera in IMU frame. */
  calibration: CameraCalibration;
  /** Pose of the Velodyne frame in the vehicle (IMU) frame. */
  lidarToVehicle: Pose3;
  /**
   * Height of the road plane in the vehicle (IMU) frame: the Velodyne's z minus its published
   * 1.73 m mounting height (about -0.93 m; the IMU sits above the road, not on it). Pass it
   * as `groundZ` to CameraModel.pixelToGround.
   */
  groundZ: number;
}

/**
 * Calibration of rectified KITTI raw camera `cameraIndex` (0, 1 gray; 2, 3 colour), from the
 * three calib_*.txt files in `calibDir` (the date folder, a drive's parent), rescaled to the
 * images' real size width x height.
 */
export function kittiRawCalibration(calibDir: string, cameraIndex: number, width: number, height: number): KittiRawCalibration {
  if (!Number.isInteger(cameraIndex) || cameraIndex < 0 || cameraIndex > 3) {
    throw new RangeError(`KITTI raw camera index must be 0..3, got ${cameraIndex}`);
  }
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`KITTI raw image size must be positive whole pixels, got ${width}x${height}`);
  }
  const camToCam = KittiCalibFile.read(join(calibDir, 'calib_cam_to_cam.txt'), 'KITTI camera calibration');
  const veloToCam = KittiCalibFile.read(join(calibDir, 'calib_velo_to_cam.txt'), 'KITTI velodyne-to-camera calibration');
  const imuToVelo = KittiCalibFile.read(join(calibDir, 'calib_imu_to_velo.txt'), 'KITTI IMU-to-velodyne calibration');

  const n = `0${cameraIndex}`;
  const pKey = `P_rect_${n}`;
  const proj = decomposeProjection(camToCam.numbers(pKey, 12), `${camToCam.file}: "${pKey}"`);
  const [fullW, fullH] = camToCam.numbers(`S_rect_${n}`, 2);
  if (!(Number.isInteger(fullW) && fullW > 0 && Number.isInteger(fullH) && fullH > 0)) {
    throw new Error(`${camToCam.file}: "S_rect_${n}" must be a positive whole image size, got ${fullW} x ${fullH}`);
  }
  // Every rectified camera shares rectified camera 0's orientation (R_rect_00).
  const rRect = camToCam.numbers('R_rect_00', 9);
  assertRotationMatrix(rRect, `${camToCam.file}: "R_rect_00"`);
  const rect0FromCam0 = pose3FromMatrix(rRect, { x: 0, y: 0, z: 0 });
  const camNFromRect0: Pose3 = { position: proj.t, orientation: { x: 0, y: 0, z: 0, w: 1 } };
  const cam0FromVelo = rigidFrom(veloToCam);
  const veloFromImu = rigidFrom(imuToVelo);

  // A rectified image keeps its aspect ratio when resized; a different one means a crop, which
  // rescaling cannot describe.
  const aspectChange = (width / fullW) / (height / fullH);
  if (Math.abs(aspectChange - 1) > 0.02) {
    throw new Error(
      `${camToCam.file}: image size ${width}x${height} is not a resize of the calibrated ${fullW}x${fullH} (aspect ratio differs by ${((aspectChange - 1) * 100).toFixed(1)} %; cropped images need their own calibration)`,
    );
  }
  const camNFromImu = composePose3(composePose3(composePose3(camNFromRect0, rect0FromCam0), cam0FromVelo), veloFromImu);
  const full: CameraCalibration = {
    cameraId: `image_${n}`,
    width: fullW,
    height: fullH,
    fx: proj.fx,
    fy: proj.fy,
    cx: proj.cx,
    cy: proj.cy,
    distortion: [0, 0, 0, 0, 0],
    cameraToVehicle: invertPose3(camNFromImu),
  };
  const lidarToVehicle = invertPose3(veloFromImu);
  return {
    calibration: rescaleCalibration(full, width, height),
    lidarToVehicle,
    groundZ: lidarToVehicle.position.z - KITTI_VELODYNE_HEIGHT,
  };
}

/**
 * Projection matrices of a KITTI odometry calib.txt: labelled lines ("P0: ...", as in the
 * official files) or the bare 12-number lines of some copies (line 1 = P0, line 2 = P1, ...).
 */
export function parseKittiOdometryCalib(text: string, file: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let bare = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^([A-Za-z_][\w]*)\s*:(.*)$/.exec(line);
    const key = m ? m[1] : `P${bare++}`;
    const body = m ? m[2] : line;
    out.set(key, parseNumbers(body, 12, `${file}:${i + 1}: "${key}"`));
  });
  if (!out.has('P0')) throw new Error(`${file}: no P0 projection matrix (empty calibration file?)`);
  return out;
}

/** The fixed mount grokdrive assumes for KITTI odometry's camera 0 (see the file comment). */
export function kittiOdometryCameraToVehicle(): Pose3 {
  return pose3FromMatrix(CAMERA_TO_REP103, { x: 0, y: 0, z: KITTI_CAMERA_HEIGHT });
}

/**
 * Calibration of KITTI odometry camera 0 from calib.txt. width x height is the size of the
 * sequence's images as stored (the size P0 describes: 1241x376 for sequences 00-02,
 * 1226x370 for 04-12); odometry images are rectified, so the distortion is zero.
 */
export function kittiOdometryCalibration(calibTxtPath: string, width: number, height: number): CameraCalibration {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`${calibTxtPath}: image size must be positive whole pixels, got ${width}x${height}`);
  }
  const mats = parseKittiOdometryCalib(readText(calibTxtPath, 'KITTI odometry calibration'), calibTxtPath);
  const k = decomposeProjection(mats.get('P0')!, `${calibTxtPath}: "P0"`);
  return {
    cameraId: 'image_0',
    width,
    height,
    fx: k.fx,
    fy: k.fy,
    cx: k.cx,
    cy: k.cy,
    distortion: [0, 0, 0, 0, 0],
    cameraToVehicle: kittiOdometryCameraToVehicle(),
  };
}

/**
 * Vehicle poses in the world frame from a KITTI odometry poses.txt (line i: row-major 3x4
 * camera-0 pose of frame i in camera-0 coordinates of frame 0). The world frame is the vehicle
 * frame of frame 0: T_world_vehicle(i) = M * T_cam0_cami * M⁻¹ with M = cameraToVehicle.
 */
export function kittiOdometryPoses(posesTxtPath: string): Pose3[] {
  const text = readText(posesTxtPath, 'KITTI odometry poses');
  const mount = kittiOdometryCameraToVehicle();
  const mountInv = invertPose3(mount);
  const poses: Pose3[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const v = parseNumbers(line, 12, `${posesTxtPath}:${i + 1}`);
    assertRotationMatrix([v[0], v[1], v[2], v[4], v[5], v[6], v[8], v[9], v[10]], `${posesTxtPath}:${i + 1}`);
    const camPose = pose3FromMatrix([v[0], v[1], v[2], v[4], v[5], v[6], v[8], v[9], v[10]], { x: v[3], y: v[7], z: v[11] });
    poses.push(composePose3(composePose3(mount, camPose), mountInv));
  });
  if (poses.length === 0) throw new Error(`${posesTxtPath}: no poses (empty file)`);
  return poses;
}
