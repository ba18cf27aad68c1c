export { DriveWriter, type DriveWriterOptions } from './writer.js';
export { DriveReader, type DriveSummary, type TopicSummary, type DriveMessage, type MessageQuery, type FrameQuery } from './reader.js';
export { gridToFoxglove, gridFromFoxglove } from './grid-message.js';
export {
  calibrationToFoxglove,
  calibrationFromFoxglove,
  transformToFoxglove,
  transformFromFoxglove,
  pointCloudToFoxglove,
  pointCloudFromFoxglove,
  type StampedTransform,
} from './foxglove-convert.js';
export { driveInfo, formatDriveInfo, type DriveInfo, type CameraInfo, type PoseExtent } from './drive-info.js';
