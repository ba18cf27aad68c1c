/**
 * Dropped and failed frames, engine warnings and failed plans, with their reasons; runs of
 * consecutive frames with the same problem are one entry. A click seeks to the run's first frame.
 */
import type { Stamped } from './drive-overview.js';
import type { FrameResultInfo } from './foxglove.js';

export interface PlanOutcome {
  status: string;
  reason?: string;
}

interface Entry {
  level: string;
  text: string;
  first: number;
  last: number;
  /** Frame number as the engine counts it, for the label. */
  label: number;
  lastLabel: number;
}

export function renderDiagnostics(
  root: HTMLElement,
  results: Stamped<FrameResultInfo>[],
  plans: Stamped<PlanOutcome>[],
  frameIndexAt: (t: bigint) => number,
  onPick: (index: number) => void,
): void {
  root.innerHTML = '';
  const header = document.createElement('div');
  header.className = 'diag-summary';
  if (!results.length && !plans.length) {
    header.textContent = 'No engine results in this log.';
    root.appendChild(header);
    return;
  }
  const counts: Record<string, number> = { processed: 0, dropped: 0, failed: 0 };
  for (const r of results) counts[r.value.status] = (counts[r.value.status] ?? 0) + 1;
  const failedPlans = plans.filter((p) => p.value.status !== 'ok').length;
  header.textContent =
    (results.length ? `${results.length} frames: ${counts.processed} processed, ${counts.dropped} dropped, ${counts.failed} failed` : '') +
    (plans.length ? `${results.length ? '; ' : ''}${plans.length - failedPlans} of ${plans.length} plans ok` : '');
  root.appendChild(header);

  // Every problem, in time order, then merged into runs.
  const problems: { t: bigint; level: string; text: string; label: number }[] = [];
  for (const r of results) {
    const label = r.value.index >= 0 ? r.value.index : frameIndexAt(r.t);
    if (r.value.status !== 'processed') {
      problems.push({ t: r.t, level: r.value.status === 'failed' ? 'error' : 'warn', text: `${r.value.status}: ${r.value.reason ?? 'no reason given'}`, label });
    }
    for (const d of r.value.diagnostics) if (d.level !== 'info') problems.push({ t: r.t, level: d.level, text: `${d.stage}: ${d.message}`, label });
  }
  for (const p of plans) {
    if (p.value.status === 'ok') continue;
    problems.push({ t: p.t, level: 'warn', text: `plan ${p.value.status}${p.value.reason ? `: ${p.value.reason}` : ''}`, label: frameIndexAt(p.t) });
  }
  problems.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const open = new Map<string, Entry>();
  const entries: Entry[] = [];
  for (const p of problems) {
    const index = frameIndexAt(p.t);
    const key = `${p.level}\u0000${p.text}`;
    const run = open.get(key);
    if (run && index - run.last <= 1) {
      run.last = index;
      run.lastLabel = p.label;
      continue;
    }
    const e: Entry = { level: p.level, text: p.text, first: index, last: index, label: p.label, lastLabel: p.label };
    open.set(key, e);
    entries.push(e);
  }

  if (!entries.length) {
    const ok = document.createElement('div');
    ok.className = 'diag-ok';
    ok.textContent = 'No dropped or failed frames, no failed plans, no warnings.';
    root.appendChild(ok);
    return;
  }
  const list = document.createElement('ul');
  list.className = 'diag-list';
  for (const e of entries) {
    const li = document.createElement('li');
    li.className = `diag ${e.level}`;
    li.dataset.index = String(e.first);
    const frames = document.createElement('span');
    frames.className = 'diag-frame';
    frames.textContent = e.last > e.first ? `#${e.label}–${e.lastLabel} (${e.last - e.first + 1}) ` : `#${e.label} `;
    li.append(frames, document.createTextNode(e.text));
    li.title = 'Jump to this frame';
    li.addEventListener('click', () => onPick(e.first));
    list.appendChild(li);
  }
  root.appendChild(list);
}
