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
export { resizeRgb, normaliseToNchw, normalisePaddedToNchw } from './preprocess.js';
export { argmaxPlanes, argmaxResampled, cropMap, resizeNearest } from './postprocess.js';
export { fixInputShape } from './fix-input-shape.js';
export { modelInputPlan, modelInputSize, PAD_INSTEAD_OF_RESIZE, type InputPlan } from './input-plan.js';
export { checkModelFitsManifest } from './model-check.js';
export { OnnxSegmenter, type SegmenterOptions, type SegmentOptions, type SegmentTimings } from './segmenter.js';
export { colouriseClasses, writeSideBySide } from './visualize.js';
export { evaluateSegmenter, type SegEvalOptions, type SegEvalResult } from './evaluate.js';
