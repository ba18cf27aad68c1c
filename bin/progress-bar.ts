/**
 * A terminal progress bar with rate and ETA, written to stderr so stdout stays clean for
 * `--json`. On a non-TTY it prints a line every few seconds instead of redrawing.
 */
export interface ProgressBar {
  /** `total` replaces the total given at the start (for work whose size becomes known as it goes). */
  update(done: number, note?: string, total?: number): void;
  finish(note?: string): void;
}

/** Below this many seconds the rate (and so the ETA) says more about timer noise than about the work. */
const MIN_RATE_SECONDS = 0.5;

/**
 * One line of the bar: `label [####----] done/total unit rate/s ETA s note`. The rate is '?'
 * for the first half second, unless the work is `finished`.
 */
export function progressLine(label: string, done: number, total: number, elapsedS: number, unit = 'frames', note?: string, finished = false): string {
  const rate = elapsedS >= MIN_RATE_SECONDS || (finished && elapsedS > 0) ? done / elapsedS : NaN;
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const eta = rate > 0 && total > 0 ? Math.max(0, total - done) / rate : NaN;
  const width = 24;
  const filled = Math.round(frac * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const rateText = Number.isFinite(rate) ? `${rate.toFixed(1)}/s` : '?/s';
  const etaText = Number.isFinite(eta) ? `${eta.toFixed(1)}s` : '?';
  const totalText = total > 0 ? `/${total}` : '';
  return `${label} [${bar}] ${done}${totalText} ${unit} ${rateText} ETA ${etaText}${note ? ' ' + note : ''}`;
}

export function progressBar(label: string, total: number, unit = 'frames'): ProgressBar {
  const out = process.stderr;
  const tty = out.isTTY === true;
  const start = performance.now();
  let lastDraw = 0;
  let lastDone = 0;

  const render = (done: number, note?: string): string => progressLine(label, done, total, (performance.now() - start) / 1000, unit, note);

  return {
    update(done, note, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      lastDone = done;
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 100) return;
        lastDraw = now;
        out.write('\r' + render(done, note).padEnd(out.columns ? out.columns - 1 : 100));
      } else if (now - lastDraw > 5000) {
        lastDraw = now;
        out.write(render(done, note) + '\n');
      }
    },
    finish(note) {
      const elapsed = (performance.now() - start) / 1000;
      const line = `${progressLine(label, lastDone, total, elapsed, unit, undefined, true)} done in ${elapsed.toFixed(1)}s${note ? ' ' + note : ''}`;
      out.write(tty ? '\r' + line + '\n' : line + '\n');
    },
  };
}
