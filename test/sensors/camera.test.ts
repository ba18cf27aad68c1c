import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CameraCalibration } from '../../types/messages.js';
import { CameraModel, horizontalFov, rescaleCalibration } from '../../sensors/camera.js';
import { CAMERA_TO_REP103 } from '../../sensors/kitti-calib.js';
import { composePose3, pose3FromMatrix, quatFromEuler } from '../../sensors/pose.js';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A forward-looking camera 1.5 m above the vehicle origin (on the road), 1.2 m ahead. */
function forwardCamera(overrides: Partial<CameraCalibration> = {}, pitchDown = 0): CameraCalibration {
  // Nose-down pitch is a positive rotation about the vehicle's y (left) axis.
  const mount = composePose3(
    { position: { x: 1.2, y: 0, z: 1.5 }, orientation: quatFromEuler(0, pitchDown, 0) },
    pose3FromMatrix(CAMERA_TO_REP103, { x: 0, y: 0, z: 0 }),
  );
  return {
    cameraId: 'front',
    width: 640,
    height: 480,
    fx: 500,
    fy: 500,
    cx: 319.5,
    cy: 239.5,
    distortion: [0, 0, 0, 0, 0],
    cameraToVehicle: mount,
    ...overrides,
  };
}

// A real wide-angle lens: KITTI raw's unrectified camera 02 (calib_cam_to_cam.txt K_02, D_02).
const kittiDistorted = forwardCamera({
  width: 1392, height: 512, fx: 959.791, fy: 956.9251, cx: 696.0217, cy: 224.1806,
  distortion: [-0.3691481, 0.1968681, 0.001353473, 0.0005677587, -0.06770705],
});

describe('CameraModel projection', () => {
  it('maps the optical axis to the principal point and follows the pinhole equations', () => {
    const cam = new CameraModel(forwardCamera());
    expect(cam.project({ x: 0, y: 0, z: 5 })).toEqual({ u: 319.5, v: 239.5 });
    expect(cam.project({ x: 1, y: -0.5, z: 10 })).toEqual({ u: 319.5 + 50, v: 239.5 - 25 });
  });

  it('returns null behind the camera and on its plane', () => {
    const cam = new CameraModel(kittiDistorted);
    expect(cam.project({ x: 0, y: 0, z: -1 })).toBeNull();
    expect(cam.project({ x: 1, y: 0, z: 0 })).toBeNull();
    expect(cam.projectVehiclePoint({ x: -10, y: 0, z: 1 })).toBeNull();
  });

  it('refuses points beyond the radius where the distortion model folds back', () => {
    const cam = new CameraModel(kittiDistorted);
    // 80 degrees off-axis: KITTI's barrel model would fold such a point back into the image.
    const off = Math.tan((80 * Math.PI) / 180);
    expect(cam.project({ x: off, y: 0, z: 1 })).toBeNull();
    // 30 degrees is well inside the lens' field of view and projects normally.
    const p = cam.project({ x: Math.tan(Math.PI / 6), y: 0, z: 1 });
    expect(p).not.toBeNull();
    expect(p!.u).toBeGreaterThan(696 + 400);
    expect(p!.u).toBeLessThan(696 + 554);
  });

  it('round-trips project(unproject(u, v)) for every pixel of a distorted camera', () => {
    const cam = new CameraModel(kittiDistorted);
    fc.assert(
      fc.property(finite(-0.5, 1391.5), finite(-0.5, 511.5), (u, v) => {
        const ray = cam.unproject(u, v);
        expect(Math.hypot(ray.x, ray.y, ray.z)).toBeCloseTo(1, 12);
        const back = cam.project({ x: ray.x * 7, y: ray.y * 7, z: ray.z * 7 })!;
        expect(Math.abs(back.u - u)).toBeLessThan(1e-6);
        expect(Math.abs(back.v - v)).toBeLessThan(1e-6);
      }),
    );
  });

  it('round-trips unproject(project(p)) to the direction of p', () => {
    const cam = new CameraModel(kittiDistorted);
    fc.assert(
      fc.property(finite(-0.6, 0.6), finite(-0.3, 0.3), finite(0.5, 80), (x, y, z) => {
        const px = cam.project({ x: x * z, y: y * z, z })!;
        const ray = cam.unproject(px.u, px.v);
        const n = Math.hypot(x, y, 1);
        expect(Math.abs(ray.x - x / n)).toBeLessThan(1e-9);
        expect(Math.abs(ray.y - y / n)).toBeLessThan(1e-9);
        expect(Math.abs(ray.z - 1 / n)).toBeLessThan(1e-9);
      }),
    );
  });

  it('batch projection agrees with projectVehiclePoint', () => {
    const cam = new CameraModel(kittiDistorted);
    const pts = new Float32Array([10, 1, 0.5, 0, 0, 0, 5, -2, -1, 3, 40, 0, -5, 0, 1]);
    const out = cam.projectVehiclePoints(pts, 3);
    for (let i = 0; i < 5; i++) {
      const one = cam.projectVehiclePoint({ x: pts[3 * i], y: pts[3 * i + 1], z: pts[3 * i + 2] });
      if (one === null) {
        expect(Number.isNaN(out[3 * i])).toBe(true);
      } else {
        expect(out[3 * i]).toBeCloseTo(one.u, 3);
        expect(out[3 * i + 1]).toBeCloseTo(one.v, 3);
        expect(out[3 * i + 2]).toBeCloseTo(one.depth, 4);
      }
    }
    expect(Number.isNaN(out[3 * 1])).toBe(true); // the camera sits ahead of the origin
    expect(Number.isNaN(out[3 * 4])).toBe(true); // behind the vehicle
  });
});

describe('CameraModel extrinsics', () => {
  it('maps the camera axes onto the vehicle axes (z forward -> x, x right -> -y, y down -> -z)', () => {
    const cam = new CameraModel(forwardCamera());
    expect(cam.cameraToVehicle({ x: 0, y: 0, z: 1 })).toEqual({ x: expect.closeTo(2.2, 12), y: expect.closeTo(0, 12), z: expect.closeTo(1.5, 12) });
    expect(cam.cameraToVehicle({ x: 1, y: 0, z: 0 })).toEqual({ x: expect.closeTo(1.2, 12), y: expect.closeTo(-1, 12), z: expect.closeTo(1.5, 12) });
    expect(cam.cameraToVehicle({ x: 0, y: 1, z: 0 })).toEqual({ x: expect.closeTo(1.2, 12), y: expect.closeTo(0, 12), z: expect.closeTo(0.5, 12) });
  });

  it('inverts cameraToVehicle with vehicleToCamera', () => {
    const cam = new CameraModel(forwardCamera({}, 0.1));
    fc.assert(
      fc.property(finite(-50, 50), finite(-50, 50), finite(-50, 50), (x, y, z) => {
        const back = cam.vehicleToCamera(cam.cameraToVehicle({ x, y, z }));
        expect(Math.hypot(back.x - x, back.y - y, back.z - z)).toBeLessThan(1e-9);
      }),
    );
  });

  it('projects a vehicle point ahead to the image centre column with its depth', () => {
    const cam = new CameraModel(forwardCamera());
    const p = cam.projectVehiclePoint({ x: 11.2, y: 0, z: 1.5 })!;
    expect(p.u).toBeCloseTo(319.5, 9);
    expect(p.v).toBeCloseTo(239.5, 9);
    expect(p.depth).toBeCloseTo(10, 9);
    // A point to the left of the vehicle lands left of centre.
    expect(cam.projectVehiclePoint({ x: 11.2, y: 2, z: 1.5 })!.u).toBeLessThan(319.5);
  });
});

describe('pixelToGround', () => {
  it('intersects the ground where geometry says: row below the horizon at distance f h / dv', () => {
    const cam = new CameraModel(forwardCamera());
    // Level camera 1.5 m high: a pixel 50 rows below the centre sees the road 500*1.5/50 = 15 m ahead.
    const g = cam.pixelToGround(319.5, 239.5 + 50)!;
    expect(g.x).toBeCloseTo(1.2 + 15, 9);
    expect(g.y).toBeCloseTo(0, 9);
    expect(g.z).toBe(0);
    // At or above the horizon the ray never reaches the road.
    expect(cam.pixelToGround(319.5, 239.5)).toBeNull();
    expect(cam.pixelToGround(100, 100)).toBeNull();
    // A raised plane (a kerb 0.2 m high) is met earlier along the same ray.
    expect(cam.pixelToGround(319.5, 289.5, 0.2)!.x).toBeCloseTo(1.2 + 13, 9);
    // A plane above the camera cannot be reached looking down.
    expect(cam.pixelToGround(319.5, 289.5, 2)).toBeNull();
  });

  it('is the inverse of projecting ground points, with pitch and distortion', () => {
    const cam = new CameraModel({ ...kittiDistorted, cameraToVehicle: forwardCamera({}, 0.05).cameraToVehicle });
    fc.assert(
      // Road points 8-60 m ahead within +-0.3 rad of straight ahead: inside the lens' view.
      fc.property(finite(8, 60), finite(-0.3, 0.3), (x, slope) => {
        const y = slope * x;
        const px = cam.projectVehiclePoint({ x, y, z: 0 })!;
        const g = cam.pixelToGround(px.u, px.v)!;
        expect(Math.hypot(g.x - x, g.y - y)).toBeLessThan(1e-6 * x);
      }),
    );
  });
});

describe('rescaleCalibration', () => {
  it('scales KITTI P_rect_02 to the 397x120 images with the pixel-centre convention', () => {
    // Values from calib_cam_to_cam.txt (P_rect_02 at 1242x375) and the data README's expected
    // numbers for the downscaled drive: fx' = 230.64, fy' = 230.89, cx' = 194.50, cy' = 54.97.
    const full = forwardCamera({ width: 1242, height: 375, fx: 721.5377, fy: 721.5377, cx: 609.5593, cy: 172.854 });
    const small = rescaleCalibration(full, 397, 120);
    expect(small.width).toBe(397);
    expect(small.height).toBe(120);
    expect(small.fx).toBeCloseTo(230.64, 2);
    expect(small.fy).toBeCloseTo(230.89, 2);
    expect(small.cx).toBeCloseTo(194.5, 2);
    expect(small.cy).toBeCloseTo(54.97, 2);
  });

  it('keeps the image edges on the image edges and is undone by the inverse rescale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 4000 }), fc.integer({ min: 16, max: 3000 }), (w, h) => {
        const full = forwardCamera();
        const c = new CameraModel(full);
        const s = new CameraModel(rescaleCalibration(full, w, h));
        // The same 3D ray hits the same fraction of the image: the left edge (-0.5) stays the edge.
        const ray = c.unproject(-0.5, 479.5);
        const px = s.project(ray)!;
        expect(px.u).toBeCloseTo(-0.5, 9);
        expect(px.v).toBeCloseTo(h - 0.5, 9);
        const back = rescaleCalibration(rescaleCalibration(full, w, h), 640, 480);
        expect(back.fx).toBeCloseTo(full.fx, 9);
        expect(back.cx).toBeCloseTo(full.cx, 9);
        expect(back.cy).toBeCloseTo(full.cy, 9);
      }),
    );
  });

  it('rejects sizes that are not positive whole pixels', () => {
    expect(() => rescaleCalibration(forwardCamera(), 0, 10)).toThrow(/front: cannot rescale to 0x10/);
    expect(() => rescaleCalibration(forwardCamera(), 10.5, 10)).toThrow(/whole pixels/);
  });

  it('computes the field of view', () => {
    expect((horizontalFov(forwardCamera()) * 180) / Math.PI).toBeCloseTo(2 * Math.atan(320 / 500) * (180 / Math.PI), 9);
  });
});

describe('calibration validation', () => {
  it('names the camera and the bad field', () => {
    expect(() => new CameraModel(forwardCamera({ fx: NaN }))).toThrow(/front: invalid camera calibration: fx must be a positive finite number, got NaN/);
    expect(() => new CameraModel(forwardCamera({ width: -3 }))).toThrow(/width must be a positive whole number/);
    expect(() => new CameraModel(forwardCamera({ distortion: [0, 0, 0, 0] as never }))).toThrow(/distortion must be 5 finite numbers/);
    expect(() =>
      new CameraModel(forwardCamera({ cameraToVehicle: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 2 } } })),
    ).toThrow(/unit quaternion/);
  });
});
