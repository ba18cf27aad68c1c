/**
 * The synthetic car's camera: level, forward-looking, mounted like a dashboard camera of the
 * CamVid recordings (about 1.3 m above the road, ~58 degrees horizontal field of view).
 */
import type { CameraCalibration } from '../../types/index.js';

export const SYNTHETIC_CAMERA_ID = 'front';

/** Camera optical frame -> vehicle frame: optical z = vehicle x, optical x = -vehicle y, optical y = -vehicle z. */
export const LEVEL_CAMERA_ORIENTATION = { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } as const;

export interface RigOptions {
  /** Camera height above the road (m). */
  height?: number;
  /** Mount position ahead of the vehicle origin (m). */
  forward?: number;
  /** Horizontal field of view (degrees). */
  hfovDeg?: number;
}

export function syntheticCalibration(width: number, height: number, options: RigOptions = {}): CameraCalibration {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 16 && height >= 16)) {
    throw new RangeError(`synthetic camera size ${width}x${height}: width and height must be integers >= 16`);
  }
  const hfov = ((options.hfovDeg ?? 58) * Math.PI) / 180;
  const f = width / 2 / Math.tan(hfov / 2);
  return {
    cameraId: SYNTHETIC_CAMERA_ID,
    width,
    height,
    fx: f,
    fy: f,
    cx: (width - 1) / 2,
    // Horizon a little above the image centre, as in CamVid's footage.
    cy: (height - 1) / 2 - height * 0.04,
    distortion: [0, 0, 0, 0, 0],
    cameraToVehicle: {
      position: { x: options.forward ?? 1.6, y: 0, z: options.height ?? 1.3 },
      orientation: { ...LEVEL_CAMERA_ORIENTATION },
    },
  };
}
