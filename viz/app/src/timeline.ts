/**
 * Timeline: play / pause, speed 0.25x to 8x, a scrub slider over the frames, arrow keys step
 * (Shift: 10 frames), space plays, Home / End jump. Playback runs on the log's own clock: the
 * shown frame is the last one at or before the playhead.
 */
import { indexAtOrBefore } from './drive-overview.js';

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

export type SeekCause = 'scrub' | 'step' | 'play' | 'jump';

function formatClock(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) && ms > 1e11 ? d.toISOString().replace('T', ' ').replace('Z', ' UTC') : '';
}

export class Timeline {
  readonly slider: HTMLInputElement;
  private playButton: HTMLButtonElement;
  private speedSelect: HTMLSelectElement;
  private label: HTMLElement;
  private index = 0;
  private playing = false;
  private speed = 1;
  private playheadNs = 0n;
  private lastTick = 0;

  constructor(
    root: HTMLElement,
    private readonly frameTimes: bigint[],
    private readonly startNs: bigint,
    private readonly onSeek: (index: number, cause: SeekCause) => void,
  ) {
    root.innerHTML = `
      <button class="play" title="Play / pause (space)">▶</button>
      <select class="speed" title="Playback speed">${SPEEDS.map((s) => `<option value="${s}"${s === 1 ? ' selected' : ''}>${s}x</option>`).join('')}</select>
      <input class="scrub" type="range" min="0" max="${Math.max(0, frameTimes.length - 1)}" step="1" value="0" aria-label="Frame">
      <span class="time"></span>`;
    this.playButton = root.querySelector('.play')!;
    this.speedSelect = root.querySelector('.speed')!;
    this.slider = root.querySelector('.scrub')!;
    this.label = root.querySelector('.time')!;
    this.playButton.addEventListener('click', () => this.toggle());
    this.speedSelect.addEventListener('change', () => (this.speed = Number(this.speedSelect.value)));
    this.slider.addEventListener('input', () => {
      this.pause();
      this.onSeek(Number(this.slider.value), 'scrub');
    });
    window.addEventListener('keydown', (e) => this.onKey(e));
    // Buttons, checkboxes and the speed list give focus back after use, so space and the
    // arrows keep driving the timeline instead of pressing the focused control again.
    document.addEventListener('click', (e) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'BUTTON' || (t.tagName === 'INPUT' && (t as HTMLInputElement).type === 'checkbox'))) t.blur();
    });
    document.addEventListener('change', (e) => {
      const t = e.target as HTMLElement | null;
      if (t && t.tagName === 'SELECT') t.blur();
    });
    this.setIndex(0);
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'SELECT' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text'))) return;
    const n = this.frameTimes.length;
    if (!n) return;
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = this.index + (e.shiftKey ? 10 : 1);
    else if (e.key === 'ArrowLeft') next = this.index - (e.shiftKey ? 10 : 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === ' ') {
      e.preventDefault();
      this.toggle();
      return;
    } else return;
    e.preventDefault();
    this.pause();
    next = Math.min(n - 1, Math.max(0, next));
    if (next !== this.index) this.onSeek(next, 'step');
  }

  get current(): number {
    return this.index;
  }

  isPlaying(): boolean {
    return this.playing;
  }

  /** Move the cursor (no callback). */
  setIndex(i: number): void {
    this.index = i;
    this.slider.value = String(i);
    const t = this.frameTimes[i];
    const n = this.frameTimes.length;
    if (t === undefined) {
      this.label.textContent = 'no frames';
      return;
    }
    const end = this.frameTimes[n - 1]!;
    const sec = (x: bigint) => (Number(x - this.startNs) / 1e9).toFixed(2);
    this.label.textContent = `${sec(t)} s / ${sec(end)} s · frame ${i + 1} / ${n} · ${formatClock(t)}`;
    if (!this.playing) this.playheadNs = t;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.playing || this.frameTimes.length < 2) return;
    if (this.index >= this.frameTimes.length - 1) {
      this.index = 0;
      this.onSeek(0, 'play');
    }
    this.playing = true;
    this.playheadNs = this.frameTimes[this.index]!;
    this.playButton.textContent = '❚❚';
    this.lastTick = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      const dt = Math.max(0, now - this.lastTick);
      this.lastTick = now;
      this.playheadNs += BigInt(Math.round(dt * 1e6 * this.speed));
      const i = Math.max(0, indexAtOrBefore(this.frameTimes, this.playheadNs));
      if (i !== this.index) this.onSeek(i, 'play');
      if (i >= this.frameTimes.length - 1) {
        this.pause();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    this.playButton.textContent = '▶';
  }

  setSpeed(s: number): void {
    this.speed = s;
    this.speedSelect.value = String(s);
  }
}
