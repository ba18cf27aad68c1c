/** grokdrive's library entry point. Each layer re-exports its public API here. */
export * from './types/index.js';
export { dataRoot, dataPath } from './datasets/data-root.js';
export * from './sensors/index.js';
export * from './datasets/index.js';
export * from './engine/perception/index.js';
export * from './datasets/camvid.js';
export * from './datasets/metrics/segmentation.js';
export * from './engine/index.js';
export * from './datasets/synthetic/index.js';
export * from './planners/index.js';
export { startViewServer, type ViewServer, type ViewServerOptions } from './viz/server/view-server.js';
