/** Colour scales shared by the 3D scene, the camera overlays and the legend. */
import { FREE_LOG_ODDS, OCCUPIED_LOG_ODDS } from './freespace.js';

/** RGBA texels for a log-odds grid: unknown grey, free green, occupied red; confidence = alpha. */
export function gridToRgba(logOdds: Float32Array, out: Uint8Array<ArrayBufferLike> = new Uint8Array(logOdds.length * 4)): Uint8Array<ArrayBufferLike> {
  for (let i = 0, o = 0; i < logOdds.length; i++, o += 4) {
    const l = logOdds[i]!;
    if (l < FREE_LOG_ODDS) {
      const c = Math.min(1, -l / 3);
      out[o] = 40;
      out[o + 1] = 200;
      out[o + 2] = 120;
      out[o + 3] = 90 + 140 * c;
    } else if (l > OCCUPIED_LOG_ODDS) {
      const c = Math.min(1, l / 3);
      out[o] = 240;
      out[o + 1] = 70;
      out[o + 2] = 50;
      out[o + 3] = 120 + 135 * c;
    } else {
      // Faint: the grid's unobserved extent should not hide what was observed.
      out[o] = 120;
      out[o + 1] = 124;
      out[o + 2] = 140;
      out[o + 3] = 45;
    }
  }
  return out;
}

/** Speed colour: blue (stopped) -> cyan -> green -> yellow -> red at `vMax`; magenta reversing. */
export function speedColor(v: number, vMax = 15): [number, number, number] {
  if (v < -0.05) return [0.85, 0.2, 0.85];
  const t = Math.min(1, Math.max(0, v / vMax));
  const stops: [number, number, number][] = [
    [0.15, 0.35, 1.0],
    [0.1, 0.85, 0.95],
    [0.2, 0.9, 0.3],
    [1.0, 0.9, 0.15],
    [1.0, 0.25, 0.15],
  ];
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function cssColor([r, g, b]: [number, number, number], alpha = 1): string {
  return `rgba(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)},${alpha})`;
}

/** Distinct colours for class indices (segmentation overlay), stable across frames. */
export function classColor(index: number): [number, number, number] {
  const h = (index * 0.618033988749895) % 1;
  const s = 0.65;
  const v = 0.95;
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const rgb: [number, number, number][] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return rgb[i % 6]!;
}

/** Per-stage line colours for the latency plot. */
export const stageColors = ['#4cc9f0', '#f72585', '#b5e48c', '#ffb703', '#9d4edd', '#f4f4f4', '#fb8500', '#43aa8b'];
