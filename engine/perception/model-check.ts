/** Checks an onnxruntime session of a segmentation model against the model's manifest. */
import type ort from 'onnxruntime-node';
import type { SegModelManifest } from './manifest.js';

/**
 * Throws a message naming both files when the graph's inputs or outputs differ from the
 * manifest. `specialised`: the session has its input fixed at the manifest's size (a
 * keep-aspect model is checked once with free sizes, once at that size).
 */
export function checkModelFitsManifest(session: ort.InferenceSession, m: SegModelManifest, opts: { specialised?: boolean } = {}): void {
  const problems: string[] = [];
  const dimOk = (got: number | string | undefined, want: number) => typeof got !== 'number' || got === want;
  const inMeta = session.inputMetadata.find((x) => x.name === m.input.name);
  if (!inMeta) {
    problems.push(`input '${m.input.name}' not in the model (its inputs: ${session.inputNames.join(', ')})`);
  } else if (inMeta.isTensor) {
    const s = inMeta.shape;
    if (inMeta.type !== 'float32') problems.push(`input '${m.input.name}' is ${inMeta.type}, the segmenter feeds float32`);
    if (s.length !== 4 || !dimOk(s[0], 1) || !dimOk(s[1], 3) || !dimOk(s[2], m.input.height) || !dimOk(s[3], m.input.width))
      problems.push(`input '${m.input.name}' has shape [${s.join(', ')}], manifest says [1, 3, ${m.input.height}, ${m.input.width}]`);
    else if (m.input.resize === 'keep-aspect' && !opts.specialised && (typeof s[2] === 'number' || typeof s[3] === 'number'))
      problems.push(`input '${m.input.name}' has a fixed size [${s.join(', ')}], but the manifest's resize 'keep-aspect' needs free height and width (export with dynamic axes)`);
  }
  if (session.inputNames.length !== 1) problems.push(`model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}), expected 1`);
  const outMeta = session.outputMetadata.find((x) => x.name === m.output.name);
  const C = m.classes.length;
  if (!outMeta) {
    problems.push(`output '${m.output.name}' not in the model (its outputs: ${session.outputNames.join(', ')})`);
  } else if (outMeta.isTensor) {
    const s = outMeta.shape;
    if (m.output.form === 'logits') {
      if (outMeta.type !== 'float32') problems.push(`output '${m.output.name}' is ${outMeta.type}, logits must be float32`);
      if (s.length !== 4 || !dimOk(s[0], 1) || !dimOk(s[1], C) || !dimOk(s[2], m.output.height) || !dimOk(s[3], m.output.width))
        problems.push(`output '${m.output.name}' has shape [${s.join(', ')}], manifest says logits [1, ${C}, ${m.output.height}, ${m.output.width}] (${C} classes)`);
    } else {
      if (!['int64', 'int32', 'uint8', 'int8'].includes(outMeta.type)) problems.push(`output '${m.output.name}' is ${outMeta.type}, class indices must be integers`);
      const hw = s.length === 4 ? s.slice(2) : s.length === 3 ? s.slice(1) : null;
      if (!hw || !dimOk(hw[0], m.output.height) || !dimOk(hw[1], m.output.width))
        problems.push(`output '${m.output.name}' has shape [${s.join(', ')}], manifest says class indices [1, ${m.output.height}, ${m.output.width}]`);
    }
  }
  const classesName = m.output.classesName;
  if (classesName !== undefined) {
    const meta = session.outputMetadata.find((x) => x.name === classesName);
    if (m.output.form !== 'logits') problems.push(`output.classesName is for logits models (output.form is '${m.output.form}')`);
    if (!meta) problems.push(`output '${classesName}' (output.classesName) not in the model (its outputs: ${session.outputNames.join(', ')})`);
    else if (meta.isTensor && meta.type !== 'uint8') problems.push(`output '${classesName}' is ${meta.type}, class indices (output.classesName) must be uint8`);
  }
  if (problems.length > 0)
    throw new Error(`ONNX model ${m.onnxPath} does not fit its manifest ${m.path}:\n  - ${problems.join('\n  - ')}`);
}
