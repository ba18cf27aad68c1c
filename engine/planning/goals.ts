/**
 * Where the planner should go, per frame.
 *
 * - poseTrackGoals: open-loop replay; the goal is where the ego vehicle actually was
 *   `lookaheadS` seconds later in the log (the last pose when the drive ends sooner, unless
 *   that is closer than `minDistance`).
 * - latestGoals: a library user's goals as an Observable; each frame plans to the latest one.
 */
import type { Observable, Subscription } from 'rxjs';
import type { Pose2, SensorFrame } from '../../types/index.js';
import { pose2FromPose3, type PoseTrack } from '../../sensors/pose.js';

export interface GoalSource {
  /** The goal for this frame in the world frame, or undefined (no planning for the frame). */
  goalFor(frame: SensorFrame, ego: Pose2): Pose2 | undefined;
  /** Stop listening (for sources that subscribe to something). */
  close?(): void;
}

export function poseTrackGoals(track: PoseTrack, lookaheadS = 3, minDistance = 2): GoalSource {
  if (!(lookaheadS > 0)) throw new RangeError(`planning: lookahead must be > 0 s, got ${lookaheadS}`);
  const lookNs = BigInt(Math.round(lookaheadS * 1e9));
  return {
    goalFor(frame, ego) {
      const t = frame.timeNs + lookNs;
      if (frame.timeNs < track.startNs) return undefined;
      const goal = pose2FromPose3(t <= track.endNs ? track.at(t) : track.poses[track.length - 1]);
      return Math.hypot(goal.x - ego.x, goal.y - ego.y) < minDistance ? undefined : goal;
    },
  };
}

export function latestGoals(goals$: Observable<Pose2>): GoalSource {
  let latest: Pose2 | undefined;
  let sub: Subscription | undefined = goals$.subscribe({ next: (g) => (latest = g) });
  return {
    goalFor: () => latest,
    close() {
      sub?.unsubscribe();
      sub = undefined;
    },
  };
}
