/**
 * A driver that cheats: it plans along the route's lane with the route's speed profile, seeing
 * nothing. It separates control and scoring from perception: the closed loop with this driver
 * must complete its routes without touching anything.
 */
import type { Plan, TrajectoryPoint } from '../../../types/index.js';
import type { SyntheticWorld } from '../world.js';
import type { Driver } from './scenario.js';

export function routeOracle(world: SyntheticWorld, horizonM = 25): Driver {
  const route = world.route;
  return async (frame, _goal, _t) => {
    const pose = frame.egoPose!.position;
    const s = route.lane.project(pose.x, pose.y).s;
    const poses: TrajectoryPoint[] = [];
    let t = 0;
    for (let d = 0; d <= horizonM && s + d <= route.length; d += 1) {
      const p = route.poseAtS(s + d);
      const v = route.speedAt(s + d);
      if (d > 0) t += 1 / Math.max(0.5, v);
      poses.push({ x: p.x, y: p.y, yaw: p.yaw, t, v });
    }
    const plan: Plan = { timeNs: frame.timeNs, frameId: 'world', status: poses.length >= 2 ? 'ok' : 'no_path', poses, cost: horizonM, planningMs: 0 };
    return { plan };
  };
}
