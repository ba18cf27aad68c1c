import { describe, expect, it } from 'vitest';
import { CameraModel } from '../../sensors/camera.js';
import { groundLikeMask, stereoRig, StereoGround } from '../../engine/occupancy/stereo-ground.js';
import { fitRoadPlane, flatNearRoad, stereoRoad } from '../../engine/occupancy/stereo-road.js';
import type { CameraCalibration } from '../../types/index.js';
import { forwardCamera } from './forward-camera.js';

const BASELINE = 0.5;
const WALL_X = 12;
const WALL_HALF_WIDTH = 3;

/** The right camera of a rectified pair: the left one moved BASELINE to its right (vehicle -y). */
function rightOf(left: CameraCalibration, baseline = BASELINE): CameraCalibration {
  const p = left.cameraToVehicle.position;
  return { ...left, cameraId: 'test_right', cameraToVehicle: { ...left.cameraToVehicle, position: { ...p, y: p.y - baseline } } };
}

/** Smooth value noise (0..255) on a 0.1 m lattice: texture that both cameras see the same. */
function texture(a: number, b: number): number {
  const hash = (i: number, j: number) => {
    let h = (Math.imul(i, 374761393) + Math.imul(j, 668265263)) | 0;
    h = Math.imul(h ^ (h >>> 13), 1274126177);
    return ((h ^ (h >>> 16)) & 255) / 255;
  };
  const x = a / 0.1;
  const y = b / 0.1;
  const i = Math.floor(x);
  const j = Math.floor(y);
  const fx = x - i;
  const fy = y - j;
  const top = hash(i, j) * (1 - fx) + hash(i + 1, j) * fx;
  const bottom = hash(i, j + 1) * (1 - fx) + hash(i + 1, j + 1) * fx;
  return 40 + 170 * (top * (1 - fy) + bottom * fy);
}

type Surface = 'ground' | 'wall' | 'sky';

/**
 * What a camera sees of a textured flat road with a textured upright wall across it at
 * WALL_X: an RGB image and, per pixel, which surface it shows.
 */
function render(calib: CameraCalibration, slope = { x: 0, y: 0 }): { rgb: Uint8Array; surface: Surface[] } {
  const cam = new CameraModel(calib);
  const o = calib.cameraToVehicle.position;
  const rgb = new Uint8Array(calib.width * calib.height * 3);
  const surface: Surface[] = [];
  for (let v = 0; v < calib.height; v++) {
    for (let u = 0; u < calib.width; u++) {
      const d = cam.cameraDirectionToVehicle(cam.unproject(u, v));
      let value = 220;
      let what: Surface = 'sky';
      const tWall = d.x > 0 ? (WALL_X - o.x) / d.x : Infinity;
      const wy = o.y + tWall * d.y;
      const wz = o.z + tWall * d.z;
      // The road z = slope.x x + slope.y y.
      const tRoad = (slope.x * o.x + slope.y * o.y - o.z) / (d.z - slope.x * d.x - slope.y * d.y);
      const tGround = tRoad > 0 ? tRoad : Infinity;
      if (tWall < tGround && Math.abs(wy) <= WALL_HALF_WIDTH && wz <= 3) {
        value = texture(wy, wz);
        what = 'wall';
      } else if (tGround < Infinity) {
        value = texture(o.x + tGround * d.x, o.y + tGround * d.y);
        what = 'ground';
      }
      rgb.fill(Math.round(value), 3 * (v * calib.width + u), 3 * (v * calib.width + u) + 3);
      surface.push(what);
    }
  }
  return { rgb, surface };
}

describe('stereo ground check', () => {
  const left = forwardCamera(200, 100);
  const right = rightOf(left);
  const l = render(left);
  const r = render(right);
  const rig = stereoRig(left, right, 0);
  const mask = groundLikeMask({ rgb: l.rgb, width: 200, height: 100 }, { rgb: r.rgb, width: 200, height: 100 }, rig);

  it('knows the rig: baseline, and a road disparity that grows B/h pixels a row from the horizon', () => {
    expect(rig.baseline).toBeCloseTo(BASELINE, 9);
    expect(rig.dv).toBeCloseTo(BASELINE / 1.65, 9); // fx = fy here
    expect(rig.du).toBeCloseTo(0, 9);
    // Zero at the horizon (the principal row of this level camera).
    expect(rig.d0 + rig.dv * left.cy).toBeCloseTo(0, 9);
    expect(rig.firstRow).toBe(Math.floor(left.cy));
  });

  it('finds the textured road ground-like and the wall standing on it not', () => {
    // Pixels the right camera can match (disparity < 40 px) and whose window lies on one
    // surface: 4 rows from the wall's foot, 4 columns from its sides.
    const { width, height } = left;
    const pure = (u: number, v: number, what: Surface) => {
      for (let dv = -4; dv <= 4; dv++) for (let du = -4; du <= 4; du++) if (l.surface[(v + dv) * width + (u + du)] !== what) return false;
      return true;
    };
    const count = { ground: [0, 0], wall: [0, 0] };
    for (let v = rig.firstRow + 5; v < height - 4; v++) {
      for (let u = 44; u < width - 4; u++) {
        const what = l.surface[v * width + u];
        if (what === 'sky' || !pure(u, v, what)) continue;
        count[what][0]++;
        count[what][1] += mask[v * width + u];
      }
    }
    expect(count.ground[0]).toBeGreaterThan(1000);
    expect(count.wall[0]).toBeGreaterThan(300);
    expect(count.ground[1] / count.ground[0]).toBeGreaterThan(0.8);
    expect(count.wall[1] / count.wall[0]).toBeLessThan(0.1);
    // Above the horizon nothing is ground.
    for (let i = 0; i < rig.firstRow * width; i++) expect(mask[i]).toBe(0);
  });

  it('leaves a texture-less road undecided: nothing to match, nothing claimed', () => {
    const flat = { rgb: new Uint8Array(200 * 100 * 3).fill(128), width: 200, height: 100 };
    expect(groundLikeMask(flat, flat, rig).reduce((n, x) => n + x, 0)).toBe(0);
  });

  it('works from calibrations for another image size (the rig is rescaled)', () => {
    const sg = new StereoGround();
    const big = sg.check({ rgb: l.rgb, width: 200, height: 100 }, { rgb: r.rgb, width: 200, height: 100 }, forwardCamera(400, 200), rightOf(forwardCamera(400, 200)), 0).mask;
    expect(big).toEqual(mask);
  });

  it('walks over flat pixels only where they lie near the fitted road', () => {
    // A 4 x 10 check on a road whose disparity is 0.5 v; camera 1.65 m above it.
    const width = 4;
    const height = 10;
    const road = { roll: 0, pitch: 0, cameraHeight: 1.65, plane: { a: 0, b: 0.5, c: 0, inliers: 40, samples: 40 } };
    const mask = new Uint8Array(width * height).fill(1);
    mask[3] = 0;
    const roadDisparity = new Float32Array(width * height).map((_, i) => 0.5 * Math.floor(i / width));
    // Row 8 (road disparity 4): a surface 0.5 m up shows 4 * 1.65 / 1.15; one 0.1 m up 4 * 1.65 / 1.55.
    roadDisparity[8 * width] = (4 * 1.65) / 1.15;
    roadDisparity[8 * width + 1] = (4 * 1.65) / 1.55;
    roadDisparity[8 * width + 2] = 3; // farther than the road: below it, not raised
    const check = { width, height, mask, roadDisparity, baseline: 0.5 };
    const walkable = flatNearRoad(check, road, 0.25);
    expect(walkable[8 * width]).toBe(0);
    expect(walkable[8 * width + 1]).toBe(1);
    expect(walkable[8 * width + 2]).toBe(1);
    expect(walkable[3]).toBe(0); // not ground-like in the first place
    expect(walkable.reduce((n, x) => n + x, 0)).toBe(width * height - 2);
    expect(flatNearRoad(check, road, 0.6)[8 * width]).toBe(1);
    expect(mask[8 * width]).toBe(1); // the check itself is left alone
  });

  it('fits the road it sees: the vehicle\'s roll and pitch against a sloping road', () => {
    const deg = Math.PI / 180;
    const rgbImage = (rgb: Uint8Array) => ({ rgb, width: 200, height: 100 });
    const level = stereoRoad(new StereoGround().check(rgbImage(l.rgb), rgbImage(r.rgb), left, right, 0), left)!;
    expect(Math.abs(level.roll)).toBeLessThan(0.1 * deg);
    expect(Math.abs(level.pitch)).toBeLessThan(0.1 * deg);
    expect(Math.abs(level.cameraHeight - 1.65)).toBeLessThan(0.05);
    // The road climbs 1 degree ahead and falls 1.5 degrees to the left (+y): against it the
    // vehicle (level in its own frame) is pitched nose down (pitch +1, REP 103) and rolled
    // +1.5 degrees.
    const slope = { x: Math.tan(1 * deg), y: Math.tan(-1.5 * deg) };
    const sl = render(left, slope);
    const sr = render(right, slope);
    const check = new StereoGround().check(rgbImage(sl.rgb), rgbImage(sr.rgb), left, right, 0);
    const tilted = stereoRoad(check, left)!;
    expect(Math.abs(tilted.pitch / deg - 1)).toBeLessThan(0.15);
    expect(Math.abs(tilted.roll / deg - 1.5)).toBeLessThan(0.15);
    // Fitted to a subset only (the road the segmentation marks drivable): the same plane.
    const leftHalf = new Uint8Array(200 * 100).map((_, i) => (i % 200 < 120 ? 1 : 0));
    const subset = stereoRoad(check, left, leftHalf)!;
    expect(Math.abs(subset.roll / deg - 1.5)).toBeLessThan(0.15);
    // A subset with too few pixels falls back to all ground-like pixels.
    expect(stereoRoad(check, left, new Uint8Array(200 * 100))).toEqual(tilted);
    // Too few ground-like pixels: no plane.
    expect(fitRoadPlane(new Uint8Array(200 * 100), new Float32Array(200 * 100), 200, 100)).toBeUndefined();
  });

  it('says why a pair is not a rectified stereo rig', () => {
    expect(() => stereoRig(left, { ...right, fx: right.fx + 3 }, 0)).toThrow(/'test_right' is not the rectified right camera of 'test_cam': fx/);
    expect(() => stereoRig(left, rightOf(left, -0.5), 0)).toThrow(/to the left, not to the right/);
    expect(() => stereoRig(left, { ...right, width: 100 }, 0)).toThrow(/size 100x100 vs 200x100/);
    expect(() => stereoRig(left, right, 2)).toThrow(/not above the road/);
    expect(() => new StereoGround({ ratio: 0 })).toThrow(/ratio must be/);
  });
});
