/**
 * Writes one FrameResult to a drive log: the input frame (image, calibration, pose, mounts)
 * and the engine's outputs on the topics of types/topics.ts: segmentation as foxglove.RawImage
 * (mono8 class indices), the stereo ground check's mask likewise (0 / 255), the grid as
 * foxglove.Grid, the plan as foxglove.PosesInFrame, the trajectory and the frame's
 * status/timings/diagnostics as JSON.
 */
import type { ClassInfo, FrameResult, Plan } from '../../types/index.js';
import { topics } from '../../types/topics.js';
import { quatFromEuler } from '../../sensors/pose.js';
import type { DriveWriter } from '../../datasets/drive-log/writer.js';
import { gridToFoxglove } from '../../datasets/drive-log/grid-message.js';

export function planToFoxglove(plan: Plan): Record<string, unknown> {
  return {
    timestamp: plan.timeNs,
    frame_id: plan.frameId,
    poses: plan.poses.map((p) => ({ position: { x: p.x, y: p.y, z: 0 }, orientation: quatFromEuler(0, 0, p.yaw) })),
  };
}

export function trajectoryJson(plan: Plan): Record<string, unknown> {
  return {
    status: plan.status,
    reason: plan.reason,
    cost: plan.cost,
    planningMs: plan.planningMs,
    expansions: plan.expansions,
    goal: plan.goal,
    points: plan.poses.map((p) => ({ x: p.x, y: p.y, yaw: p.yaw, t: p.t, v: p.v })),
  };
}

export function frameResultJson(r: FrameResult): Record<string, unknown> {
  const road = r.stereoGround?.road;
  const deg = 180 / Math.PI;
  return {
    index: r.index,
    cameraId: r.frame?.cameraId,
    status: r.status,
    reason: r.reason,
    timings: r.timings,
    diagnostics: r.diagnostics,
    ...(road ? { stereoRoadDeg: { roll: road.roll * deg, pitch: road.pitch * deg } } : {}),
  };
}

export async function writeFrameResult(out: DriveWriter, r: FrameResult): Promise<void> {
  const t = r.timeNs;
  if (!r.frame) throw new Error(`frame ${r.index}: the result does not carry its input frame (run the engine with keepFrames)`);
  await out.writeFrame(r.frame);
  const cameraId = r.frame.cameraId;
  // The stereo pair's right image is an input too: on its own camera's topics.
  const right = r.frame.stereo;
  if (right) {
    const { stereo: _, groundZ: __, ...left } = r.frame;
    await out.writeFrame({ ...left, cameraId: right.calibration.cameraId, image: right.image, calibration: right.calibration, source: right.source });
  }
  if (r.segmentation) {
    const s = r.segmentation;
    await out.writeFoxglove(topics.segmentation(cameraId), 'foxglove.RawImage', t, {
      timestamp: t,
      frame_id: cameraId,
      width: s.width,
      height: s.height,
      encoding: 'mono8',
      step: s.width,
      data: s.classes,
    });
  }
  if (r.stereoGround) {
    const g = r.stereoGround;
    const data = new Uint8Array(g.mask.length);
    for (let i = 0; i < data.length; i++) data[i] = g.mask[i] === 1 ? 255 : 0;
    await out.writeFoxglove(topics.stereoGround(cameraId), 'foxglove.RawImage', t, {
      timestamp: t,
      frame_id: cameraId,
      width: g.width,
      height: g.height,
      encoding: 'mono8',
      step: g.width,
      data,
    });
  }
  if (r.grid) await out.writeFoxglove(topics.occupancy, 'foxglove.Grid', t, gridToFoxglove(r.grid));
  if (r.plan) {
    await out.writeFoxglove(topics.plan, 'foxglove.PosesInFrame', t, planToFoxglove(r.plan));
    await out.writeJson(topics.trajectory, t, trajectoryJson(r.plan));
  }
  await out.writeJson(topics.frameResult, t, frameResultJson(r));
}

/** The model's class table (names, colours, roles) once, so a viewer can colour the class maps. */
export async function writeClassTable(out: DriveWriter, timeNs: bigint, classTable: ClassInfo[]): Promise<void> {
  await out.writeJson(topics.segmentationClasses, timeNs, { classes: classTable });
}
