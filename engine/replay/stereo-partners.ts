/**
 * Which other cameras of a log could pair with the replayed one for the stereo ground check:
 * those whose calibration makes them its rectified right camera. The replay names them when
 * it was not asked for stereo, so a user learns that the log allows it.
 */
import type { DriveReader } from '../../datasets/drive-log/reader.js';
import { stereoRig } from '../occupancy/stereo-ground.js';

export async function stereoPartners(reader: DriveReader, camera: string): Promise<string[]> {
  const others = reader.cameraIds().filter((c) => c !== camera);
  if (others.length === 0) return [];
  const left = await reader.firstFrame({ cameraIds: [camera] });
  if (!left) return [];
  const partners: string[] = [];
  for (const c of others) {
    const right = await reader.firstFrame({ cameraIds: [c] });
    if (!right) continue;
    try {
      stereoRig(left.calibration, right.calibration, left.groundZ ?? 0);
      partners.push(c);
    } catch {
      // Not its rectified right camera: nothing to suggest.
    }
  }
  return partners;
}
