/**
 * Worker thread side of WorkerStereoGround: one StereoGround (its rigs and buffers kept from
 * pair to pair), image pairs in, masks and road disparities out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CameraCalibration } from '../../types/index.js';
import type { RgbImage } from '../perception/decode.js';
import { StereoGround, type StereoGroundOptions } from '../occupancy/stereo-ground.js';

interface Request {
  id: number;
  left: RgbImage;
  right: RgbImage;
  leftCalib: CameraCalibration;
  rightCalib: CameraCalibration;
  groundZ: number;
}

const port = parentPort;
if (!port) throw new Error('stereo-worker.js runs as a worker thread (see WorkerStereoGround)');
const { options } = workerData as { options: StereoGroundOptions };

try {
  const stereo = new StereoGround(options);
  port.on('message', (msg: Request | { dispose: true }) => {
    if ('dispose' in msg) {
      port.close();
      return;
    }
    try {
      const check = stereo.check(msg.left, msg.right, msg.leftCalib, msg.rightCalib, msg.groundZ);
      port.postMessage({ id: msg.id, check }, [check.mask.buffer as ArrayBuffer, check.roadDisparity.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id: msg.id, error: String((err as Error)?.message ?? err) });
    }
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: String((err as Error)?.message ?? err) });
}
