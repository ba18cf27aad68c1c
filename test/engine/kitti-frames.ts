/** The shared KITTI raw drive's image_02 frames (they carry the road height of the IMU frame). */
import { dataPath } from '../../datasets/data-root.js';
import { openKittiRaw } from '../../sensors/sources/kitti-raw.js';
import type { SensorFrame } from '../../types/index.js';

export const kittiDrive = dataPath('kitti-raw', '2011_09_26_drive_0001_sync');

export async function loadKittiFrames(limit = Infinity): Promise<SensorFrame[]> {
  const source = await openKittiRaw(kittiDrive, { cameras: ['image_02'], lidar: false });
  const out: SensorFrame[] = [];
  for await (const item of source.items()) {
    if (item.kind !== 'frame') continue;
    out.push(item.frame);
    if (out.length >= limit) break;
  }
  return out;
}

/** Frames as an async iterable that records how far it has been pulled. */
export function pulled(frames: SensorFrame[]): AsyncIterable<SensorFrame> & { pulls: number; closed: boolean } {
  const state = {
    pulls: 0,
    closed: false,
    async *[Symbol.asyncIterator]() {
      try {
        for (const f of frames) {
          state.pulls++;
          yield f;
        }
      } finally {
        state.closed = true;
      }
    },
  };
  return state;
}
