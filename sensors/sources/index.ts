export * from './frame-source.js';
export { checkImage, type CheckedImage } from './image-check.js';
export { matchStreams, formatIndices, dropTolerance, type IndexedStream } from './stream-match.js';
export { openKittiRaw, type KittiRawOptions } from './kitti-raw.js';
export { openKittiOdometry, KITTI_ODOMETRY_SYNTHETIC_HZ, type KittiOdometryOptions } from './kitti-odometry.js';
export { openImageFolder, type ImageFolderOptions } from './image-folder.js';
export { openVideo, probeVideo, type VideoOptions, type VideoInfo } from './video.js';
export { openRecordedLog, type RecordedLogOptions } from './recorded-log.js';
