/** Drives on disk: the MCAP drive-log format and the importers into it. */
export * from './drive-log/index.js';
export * from './mcap/index.js';
export * from './importers/index.js';
