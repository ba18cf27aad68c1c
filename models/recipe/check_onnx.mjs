// Compares onnxruntime-node's logits with torch's on identical inputs (the file export.py --ref
// writes). Prints the largest absolute difference and the share of pixels whose argmax differs.
//   node models/recipe/check_onnx.mjs models/camvid-dsnet.onnx /tmp/camvid-dsnet.ref.bin
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

const [onnxPath, refPath] = process.argv.slice(2);
const buf = readFileSync(refPath);
const [count, w, h, c] = [0, 1, 2, 3].map((i) => buf.readInt32LE(i * 4));
const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 2 });
const inLen = 3 * w * h;
const outLen = c * w * h;
let off = 16;
let maxDiff = 0;
let argmaxDiff = 0;
for (let k = 0; k < count; k++) {
  const input = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + inLen * 4));
  off += inLen * 4;
  const ref = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + outLen * 4));
  off += outLen * 4;
  const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, h, w]) });
  const out = res[session.outputNames[0]].data;
  for (let i = 0; i < outLen; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
  for (let p = 0; p < w * h; p++) {
    let a = 0, b = 0;
    for (let j = 1; j < c; j++) {
      if (out[j * w * h + p] > out[a * w * h + p]) a = j;
      if (ref[j * w * h + p] > ref[b * w * h + p]) b = j;
    }
    if (a !== b) argmaxDiff++;
  }
}
const share = argmaxDiff / (count * w * h);
console.log(`${count} images: max |onnxruntime - torch| = ${maxDiff.toExponential(2)}, argmax differs on ${(share * 100).toFixed(4)} % of pixels`);
process.exitCode = maxDiff < 1e-3 && share < 1e-4 ? 0 : 1;
