import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CameraModel, horizontalFov } from '../../sensors/camera.js';
import { calibrationFromJson, loadCalibrationFile } from '../../sensors/calibration-file.js';
import { repoRoot } from '../../datasets/data-root.js';

const fixture = join(repoRoot(), 'test', 'fixtures', 'udacity-960x540.calib.json');

const valid = {
  cameraId: 'front',
  width: 960,
  height: 540,
  fx: 870,
  fy: 870,
  cx: 479.5,
  cy: 269.5,
  distortion: [0, 0, 0, 0, 0],
  cameraToVehicle: { position: { x: 1.5, y: 0, z: 1.2 }, orientation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } },
};

function writeJson(value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'grokdrive-calibfile-'));
  const path = join(dir, 'cam.calib.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('loadCalibrationFile', () => {
  it('loads the Udacity 960x540 estimate and it describes a forward dashcam ~1.2 m up', () => {
    const c = loadCalibrationFile(fixture);
    expect(c).not.toHaveProperty('note');
    expect([c.width, c.height]).toEqual([960, 540]);
    expect((horizontalFov(c) * 180) / Math.PI).toBeGreaterThan(50);
    expect((horizontalFov(c) * 180) / Math.PI).toBeLessThan(65);
    const cam = new CameraModel(c);
    expect(cam.position.z).toBeCloseTo(1.2, 6);
    // Horizon where the lane lines of the Udacity images vanish (row ~310), and the lane
    // lines measured at the bottom row of solidWhiteRight.jpg (u = 150 and 840) are one US
    // lane (3.66 m) apart.
    expect(cam.projectVehiclePoint({ x: 1e5, y: 0, z: 1.2 })!.v).toBeCloseTo(310, 0);
    const left = cam.pixelToGround(150, 539.5)!;
    const right = cam.pixelToGround(840, 539.5)!;
    expect(left.y - right.y).toBeGreaterThan(3.3);
    expect(left.y - right.y).toBeLessThan(4);
  });

  it('accepts a calibration without distortion and normalises a rounded quaternion', () => {
    const { distortion: _omit, ...rest } = valid;
    const c = loadCalibrationFile(writeJson({ ...rest, cameraToVehicle: { ...valid.cameraToVehicle, orientation: { x: -0.5001, y: 0.5, z: -0.5, w: 0.5 } } }));
    expect(c.distortion).toEqual([0, 0, 0, 0, 0]);
    const q = c.cameraToVehicle.orientation;
    expect(Math.hypot(q.x, q.y, q.z, q.w)).toBeCloseTo(1, 12);
  });

  it('names the file and the problem', () => {
    expect(() => loadCalibrationFile('/nonexistent/cam.json')).toThrow(/\/nonexistent\/cam.json: cannot read camera calibration: file not found/);
    let path = writeJson('{ "cameraId": ');
    expect(() => loadCalibrationFile(path)).toThrow(new RegExp(`${path}: camera calibration is not valid JSON`));
    path = writeJson([1, 2]);
    expect(() => loadCalibrationFile(path)).toThrow(/must be a JSON object/);
    const { fx: _fx, cy: _cy, ...noFx } = valid;
    path = writeJson(noFx);
    expect(() => loadCalibrationFile(path)).toThrow(new RegExp(`${path}: camera calibration is missing fx, cy`));
    path = writeJson({ ...valid, fy: null });
    expect(() => loadCalibrationFile(path)).toThrow(new RegExp(`${path}: invalid camera calibration: fy must be a positive finite number, got null`));
    path = writeJson({ ...valid, height: 0 });
    expect(() => loadCalibrationFile(path)).toThrow(/height must be a positive whole number of pixels, got 0/);
    path = writeJson({ ...valid, cx: 'centre' });
    expect(() => loadCalibrationFile(path)).toThrow(/cx must be a finite number, got centre/);
    path = writeJson({ ...valid, cameraToVehicle: { position: { x: 0, y: 0 } } });
    expect(() => loadCalibrationFile(path)).toThrow(/cameraToVehicle must be \{ position/);
    path = writeJson({ ...valid, cameraToVehicle: { position: { x: 0, y: 0 }, orientation: valid.cameraToVehicle.orientation } });
    expect(() => loadCalibrationFile(path)).toThrow(/cameraToVehicle.position must have finite x, y, z/);
  });

  it('validates parsed values the same way', () => {
    // JSON has no NaN, but values built in code can carry one.
    expect(() => calibrationFromJson({ ...valid, fx: NaN }, 'built')).toThrow(/built: invalid camera calibration: fx must be a positive finite number, got NaN/);
  });
});
