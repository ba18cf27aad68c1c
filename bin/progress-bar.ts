/**
 * A terminal progress bar with rate and ETA, written to stderr so stdout stays clean for
 * `--json`. On a non-TTY it prints a line every few seconds instead of redrawing.
 */
export interface ProgressBar {
  /** `total` replaces the total given at the start (for work whose size becomes known as it goes). */
  update(done: number, note?: string, total?: number): void;
  finish(note?: string): void;
}

export function progressBar(label: string, total: number, unit = 'frames'): ProgressBar {
  const out = process.stderr;
  const tty = out.isTTY === true;
  const start = performance.now();
  let lastDraw = 0;
  let lastDone = 0;

  const render = (done: number, note?: string): string => {
    const elapsed = (performance.now() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const eta = rate > 0 && total > 0 ? (total - done) / rate : NaN;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const etaText = Number.isFinite(eta) ? `${eta.toFixed(1)}s` : '?';
    const totalText = total > 0 ? `/${total}` : '';
    return `${label} [${bar}] ${done}${totalText} ${unit} ${rate.toFixed(1)}/s ETA ${etaText}${note ? ' ' + note : ''}`;
  };

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
      const line = `${render(lastDone)} done in ${elapsed.toFixed(1)}s${note ? ' ' + note : ''}`;
      out.write(tty ? '\r' + line + '\n' : line + '\n');
    },
  };
}
