export * from './geometry.js';
export * from './messages.js';
export * from './time.js';
export * from './topics.js';
export * from './angle.js';
