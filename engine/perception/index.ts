export { decodeImage, type RgbImage } from './decode.js';
export {
  loadManifest,
  validateManifest,
  classTable,
  defaultManifestPath,
  DEFAULT_MODEL,
  type SegModelManifest,
  type ManifestInput,
  type ManifestOutput,
  type ManifestClass,
  type ClassRole,
} from './manifest.js';
export { resizeRgb, normaliseToNchw } from './preprocess.js';
export { argmaxPlanes, argmaxResampled, resizeNearest } from './postprocess.js';
export { OnnxSegmenter, checkModelFitsManifest, type SegmenterOptions, type SegmentOptions, type SegmentTimings } from './segmenter.js';
export { colouriseClasses, writeSideBySide } from './visualize.js';
export { evaluateSegmenter, type SegEvalOptions, type SegEvalResult } from './evaluate.js';
