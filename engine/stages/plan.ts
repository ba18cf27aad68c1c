/**
 * Stage 5: plan from the ego pose to the frame's goal on the frame's grid. A plan that finds
 * no path is a result (its status says why), not a failed frame.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { GoalSource } from '../planning/goals.js';
import type { PlanFunction } from '../planning/planner.js';
import { runStepSync, type FrameWork } from '../work.js';

export function planStage(planner: PlanFunction, goals: GoalSource): OperatorFunction<FrameWork, FrameWork> {
  return map((work) =>
    runStepSync(work, 'plan', (w) => {
      const goal = goals.goalFor(w.frame, w.ego!);
      if (!goal) return;
      w.plan = planner(w.grid!, w.ego!, goal, w.frame.timeNs);
      if (w.plan.status !== 'ok') {
        w.diagnostics.push({ level: 'info', stage: 'plan', message: `plan ${w.plan.status}${w.plan.reason ? ': ' + w.plan.reason : ''}` });
      }
    }),
  );
}
