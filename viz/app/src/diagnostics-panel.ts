/** Dropped and failed frames and engine warnings, with their reasons; a click seeks there. */
import type { Stamped } from './drive-overview.js';
import type { FrameResultInfo } from './foxglove.js';

export function renderDiagnostics(
  root: HTMLElement,
  results: Stamped<FrameResultInfo>[],
  frameIndexAt: (t: bigint) => number,
  onPick: (index: number) => void,
): void {
  root.innerHTML = '';
  const header = document.createElement('div');
  header.className = 'diag-summary';
  if (!results.length) {
    header.textContent = 'No engine results in this log.';
    root.appendChild(header);
    return;
  }
  const counts = { processed: 0, dropped: 0, failed: 0 } as Record<string, number>;
  for (const r of results) counts[r.value.status] = (counts[r.value.status] ?? 0) + 1;
  header.textContent = `${results.length} frames: ${counts.processed ?? 0} processed, ${counts.dropped ?? 0} dropped, ${counts.failed ?? 0} failed`;
  root.appendChild(header);
  const list = document.createElement('ul');
  list.className = 'diag-list';
  for (const r of results) {
    const entries: { level: string; text: string }[] = [];
    if (r.value.status !== 'processed') entries.push({ level: r.value.status === 'failed' ? 'error' : 'warn', text: `${r.value.status}: ${r.value.reason ?? 'no reason given'}` });
    for (const d of r.value.diagnostics) if (d.level !== 'info') entries.push({ level: d.level, text: `${d.stage}: ${d.message}` });
    for (const e of entries) {
      const li = document.createElement('li');
      const index = frameIndexAt(r.t);
      li.className = `diag ${e.level}`;
      li.dataset.index = String(index);
      li.innerHTML = `<span class="diag-frame">#${r.value.index >= 0 ? r.value.index : index}</span> `;
      li.append(document.createTextNode(e.text));
      li.addEventListener('click', () => onPick(index));
      list.appendChild(li);
    }
  }
  if (!list.children.length) {
    const ok = document.createElement('div');
    ok.className = 'diag-ok';
    ok.textContent = 'No dropped or failed frames, no warnings.';
    root.appendChild(ok);
  }
  root.appendChild(list);
}
