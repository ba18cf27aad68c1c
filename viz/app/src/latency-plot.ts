/**
 * Per-stage latency over the drive (from /engine/frame_result timings), with the cursor's
 * frame marked; clicking the plot seeks there.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { stageColors } from './colors.js';
import type { Stamped } from './drive-overview.js';
import type { FrameResultInfo } from './foxglove.js';

/** Room left under the plot for uPlot's one-line legend. */
const LEGEND_PX = 28;
const STAGE_ORDER = ['decode', 'segment', 'project', 'fuse', 'plan', 'total'];

export class LatencyPlot {
  private plot: uPlot | null = null;
  private cursorX: number | null = null;

  constructor(
    private readonly root: HTMLElement,
    results: Stamped<FrameResultInfo>[],
    startNs: bigint,
    onPick: (seconds: number) => void,
  ) {
    const stages = new Set<string>();
    for (const r of results) for (const k of Object.keys(r.value.timings)) stages.add(k);
    const names = [...stages].sort((a, b) => {
      const ia = STAGE_ORDER.indexOf(a);
      const ib = STAGE_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    if (!names.length) {
      root.innerHTML = '<div class="empty">No engine timings in this log (no /engine/frame_result).</div>';
      return;
    }
    const xs = results.map((r) => Number(r.t - startNs) / 1e9);
    const data: uPlot.AlignedData = [xs, ...names.map((n) => results.map((r) => r.value.timings[n] ?? null))];
    const opts: uPlot.Options = {
      width: Math.max(200, root.clientWidth),
      height: Math.max(80, root.clientHeight - LEGEND_PX),
      scales: { x: { time: false } },
      axes: [
        { stroke: '#9aa3b5', grid: { stroke: '#262b36' }, size: 28 },
        { stroke: '#9aa3b5', grid: { stroke: '#262b36' }, size: 52 },
      ],
      series: [
        { label: 't (s)' },
        ...names.map((n, i) => ({
          label: n,
          stroke: stageColors[i % stageColors.length],
          width: n === 'total' ? 2 : 1.25,
          // Sub-stages (segment.model ...) start hidden; a click on the legend shows them.
          show: !n.includes('.'),
          points: { show: false },
        })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        draw: [
          (u) => {
            if (this.cursorX === null) return;
            const x = u.valToPos(this.cursorX, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#ffd166';
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    this.plot = new uPlot(opts, data, root);
    const fit = () => {
      const legend = root.querySelector<HTMLElement>('.u-legend')?.offsetHeight ?? LEGEND_PX;
      this.plot?.setSize({ width: Math.max(200, root.clientWidth), height: Math.max(60, root.clientHeight - legend - 4) });
    };
    fit();
    this.plot.over.addEventListener('click', () => {
      const left = this.plot?.cursor.left;
      if (this.plot && left !== undefined && left >= 0) onPick(this.plot.posToVal(left, 'x'));
    });
    new ResizeObserver(fit).observe(root);
  }

  setCursor(seconds: number): void {
    this.cursorX = seconds;
    this.plot?.redraw(false, false);
  }
}
