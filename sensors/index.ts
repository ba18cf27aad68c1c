/** Sensors: camera model, poses, OXTS GPS/INS, KITTI calibrations. */
export * from './pose.js';
export * from './distortion.js';
export * from './camera.js';
export * from './oxts.js';
export * from './kitti-calib.js';
export * from './calibration-file.js';
export * from './sources/index.js';
