/**
 * Writes one FrameResult to a drive log: the input frame (image, calibration, pose, mounts)
 * and the engine's outputs on the topics of types/topics.ts: segmentation as foxglove.RawImage
 * (mono8 class indices), the grid as foxglove.Grid, the plan as foxglove.PosesInFrame, the
 * trajectory and the frame's status/timings/diagnostics as JSON.
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
  return { index: r.index, cameraId: r.frame?.cameraId, status: r.status, reason: r.reason, timings: r.timings, diagnostics: r.diagnostics };
}

export async function writeFrameResult(out: DriveWriter, r: FrameResult): Promise<void> {
  const t = r.timeNs;
  if (!r.frame) throw new Error(`frame ${r.index}: the result does not carry its input frame (run the engine with keepFrames)`);
  await out.writeFrame(r.frame);
  const cameraId = r.frame.cameraId;
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
