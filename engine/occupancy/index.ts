export * from './ground-lut.js';
export * from './log-odds-grid.js';
export * from './free-space.js';
export * from './occupancy-mapper.js';
export * from './occupancy-args.js';
