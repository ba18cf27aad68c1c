/**
 * Stage 5: plan from the ego pose to the frame's goal on the frame's grid. A plan that finds
 * no path is a result (its status says why), not a failed frame.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { GoalSource } from '../planning/goals.js';
import type { PlanFunction } from '../planning/planner.js';
import { runStepSync, type FrameWork } from '../work.js';

export function planStage(planner: PlanFunction, goals: GoalSource): OperatorFunction<FrameWork, FrameWork> {
  // Speed from the last two ego poses (frames arrive here in order).
  let prev: { t: bigint; x: number; y: number } | undefined;
  return map((work) =>
    runStepSync(work, 'plan', (w) => {
      const ego = w.ego!;
      const t = w.frame.timeNs;
      const dt = prev ? Number(t - prev.t) / 1e9 : 0;
      const startSpeed = prev && dt > 0 && dt < 1 ? Math.hypot(ego.x - prev.x, ego.y - prev.y) / dt : 0;
      prev = w.frame.egoPose ? { t, x: ego.x, y: ego.y } : undefined;
      const goal = goals.goalFor(w.frame, ego);
      if (!goal) return;
      w.plan = planner({ grid: w.grid!, start: ego, goal, timeNs: t, startSpeed });
      if (w.plan.status !== 'ok') {
        w.diagnostics.push({ level: 'info', stage: 'plan', message: `plan ${w.plan.status}${w.plan.reason ? ': ' + w.plan.reason : ''}` });
      }
    }),
  );
}
