/**
 * Camera calibrations stored as JSON: a CameraCalibration object (see types/messages.ts).
 * `distortion` may be omitted for an ideal pinhole (it then reads as five zeros); every other
 * field is required and checked, and errors name the file. Other keys (a "note" on provenance,
 * say) are allowed and dropped.
 */
import { readFileSync } from 'node:fs';
import type { CameraCalibration } from '../types/messages.js';
import { assertCalibration } from './camera.js';
import { normalizeQuat } from './pose.js';

const FIELDS = ['cameraId', 'width', 'height', 'fx', 'fy', 'cx', 'cy', 'cameraToVehicle'] as const;

/** Validate a parsed JSON value as a CameraCalibration; `source` names it in errors. */
export function calibrationFromJson(value: unknown, source: string): CameraCalibration {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${source}: a camera calibration must be a JSON object`);
  }
  const obj = value as Record<string, unknown>;
  const missing = FIELDS.filter((f) => !(f in obj));
  if (missing.length > 0) throw new Error(`${source}: camera calibration is missing ${missing.join(', ')}`);
  const pose = obj.cameraToVehicle as Record<string, unknown> | null;
  if (pose === null || typeof pose !== 'object' || !('position' in pose) || !('orientation' in pose)) {
    throw new Error(`${source}: cameraToVehicle must be { position: {x,y,z}, orientation: {x,y,z,w} }`);
  }
  const calib = {
    ...obj,
    distortion: obj.distortion === undefined ? [0, 0, 0, 0, 0] : obj.distortion,
  } as CameraCalibration;
  assertCalibration(calib, source);
  // Keep only the known fields so extra keys (comments, provenance) do not travel further.
  return {
    cameraId: calib.cameraId,
    width: calib.width,
    height: calib.height,
    fx: calib.fx,
    fy: calib.fy,
    cx: calib.cx,
    cy: calib.cy,
    distortion: [...calib.distortion] as CameraCalibration['distortion'],
    cameraToVehicle: {
      position: { x: calib.cameraToVehicle.position.x, y: calib.cameraToVehicle.position.y, z: calib.cameraToVehicle.position.z },
      // Hand-written files round the quaternion; validation allowed 1e-3, normalise the rest.
      orientation: normalizeQuat(calib.cameraToVehicle.orientation),
    },
  };
}

/** Read and validate a JSON camera calibration file. */
export function loadCalibrationFile(path: string): CameraCalibration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read camera calibration: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: camera calibration is not valid JSON: ${(err as Error).message}`);
  }
  return calibrationFromJson(value, path);
}
