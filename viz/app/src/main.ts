/**
 * grokdrive view: wires the overview, the per-frame store and the panels. Seeking shows the
 * frame as soon as its data is decoded and records the time from request to rendered frame;
 * tests read those figures through window.__grokdrive and wait for body[data-ready].
 */
import './style.css';
import { CameraPanel, type CameraOverlay } from './camera-panel.js';
import { renderDiagnostics } from './diagnostics-panel.js';
import { egoPoseAt, indexAtOrBefore, loadOverview, loadPlanOutcomes, type DriveOverview } from './drive-overview.js';
import { FrameStore, type FrameData, type LayerTopicKey } from './frame-store.js';
import { LatencyPlot } from './latency-plot.js';
import { renderLayerPanel, type LayerToggle } from './layer-panel.js';
import { SceneView, type SceneLayer } from './scene-view.js';
import { Timeline, type SeekCause } from './timeline.js';

interface SeekRecord {
  index: number;
  cause: SeekCause;
  /** Request to frame on screen. */
  ms: number;
  /** Of which: server round trip, and decoding (0 when the frame came from the cache). */
  fetchMs: number;
  decodeMs: number;
  /** Waiting for a fetch slot (prefetches ahead of it). */
  queueMs: number;
  /** Updating the scene and camera panel and rendering the scene. */
  drawMs: number;
  cached: boolean;
}

declare global {
  interface Window {
    __grokdriveReady?: boolean;
    __grokdrive?: unknown;
  }
}

const $ = (id: string) => document.getElementById(id)!;

function showError(message: string): void {
  const banner = $('error-banner');
  banner.hidden = false;
  banner.textContent = message;
}

function hudText(o: DriveOverview, f: FrameData): string {
  const lines: string[] = [];
  const r = o.results[indexAtOrBefore(o.results, f.t)];
  if (r && r.t === f.t) {
    const v = r.value;
    lines.push(`frame #${v.index >= 0 ? v.index : f.index}  ${v.status}${v.reason ? `: ${v.reason}` : ''}`);
    const stages = Object.entries(v.timings).filter(([k]) => k !== 'total' && !k.includes('.'));
    const total = v.timings.total;
    if (total !== undefined || stages.length) {
      lines.push(
        [...stages.map(([k, ms]) => `${k} ${ms.toFixed(0)}`), total !== undefined ? `total ${total.toFixed(1)} ms` : ''].filter(Boolean).join(' · '),
      );
    }
  } else lines.push(`frame ${f.index + 1} / ${o.frameTimes.length}`);
  const tr = f.trajectory?.value;
  if (tr) lines.push(`plan ${tr.status}${tr.reason ? `: ${tr.reason}` : ''}${tr.points.length ? `, ${tr.points.length} poses` : ''}`);
  if (f.lidar) lines.push(`lidar ${(Number(f.t - f.lidar.t) / 1e9).toFixed(2)} s old`);
  if (f.grid && f.grid.t !== f.t) lines.push(`grid ${(Number(f.t - f.grid.t) / 1e9).toFixed(2)} s old`);
  return lines.join('\n');
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const overview = await loadOverview(params.get('camera') ?? undefined);
  const L = overview.layers;
  $('log-name').textContent = `${overview.summary.file}${overview.camera ? ` · ${overview.camera}` : ''}`;
  $('camera-title').textContent = overview.camera ? `Camera ${overview.camera}` : 'Camera';
  if (overview.cameras.length > 1) {
    // Another camera is another set of frames: reopen the page on it.
    const pick = document.createElement('select');
    pick.className = 'camera-pick';
    pick.title = 'Camera';
    for (const id of [...overview.cameras].sort()) pick.add(new Option(id, id, false, id === overview.camera));
    pick.addEventListener('change', () => {
      const q = new URLSearchParams(location.search);
      q.set('camera', pick.value);
      location.search = q.toString();
    });
    $('camera-title').appendChild(pick);
  }

  const on: Record<string, boolean> = {
    ego: true,
    trajectory: true,
    grid: true,
    groundTruthGrid: false,
    plan: true,
    // Lidar hides the grid under it; with a grid, it starts off.
    lidar: !L.grid,
    segmentation: false,
    stereoGround: false,
    freeSpace: true,
    planOverlay: true,
    lidarOverlay: false,
  };
  const wantedLayers = (): LayerTopicKey[] => {
    const k: LayerTopicKey[] = ['image'];
    if (on.segmentation) k.push('segmentation');
    if (on.stereoGround) k.push('stereoGround');
    if (on.grid || on.freeSpace) k.push('grid');
    if (on.groundTruthGrid) k.push('groundTruthGrid');
    if (on.plan || on.planOverlay) k.push('plan', 'trajectory');
    if (on.lidar || on.lidarOverlay) k.push('lidar');
    return k;
  };

  const scene = new SceneView($('scene'), overview);
  scene.setLayerVisible('lidar', on.lidar!);
  const camera = new CameraPanel($('camera-view'), overview, $('camera-note'));
  const store = new FrameStore(overview, wantedLayers);
  const seeks: SeekRecord[] = [];
  const n = overview.frameTimes.length;

  let wanted = 0;
  let wantedAt = performance.now();
  let wantedCause: SeekCause = 'jump';
  let loading = false;
  let shown: FrameData | null = null;
  let ready = false;

  const prefetchAround = (i: number) => {
    const ahead = timeline.isPlaying() ? 8 : 3;
    const around: number[] = [];
    for (let k = 1; k <= ahead; k++) around.push(i + k);
    around.push(i - 1, i - 2);
    store.prefetch(around);
  };

  const present = async (f: FrameData, requestedAt: number, loadedAt: number, cause: SeekCause, cached: boolean) => {
    shown = f;
    const drawStart = performance.now();
    scene.showFrame(f, egoPoseAt(overview, f.t));
    camera.showFrame(f);
    $('hud').textContent = hudText(overview, f);
    plot?.setCursor(Number(f.t - overview.summary.startNs) / 1e9);
    scene.renderNow();
    const drawMs = performance.now() - drawStart;
    seeks.push({
      queueMs: cached ? 0 : Math.max(0, loadedAt - requestedAt - f.fetchMs - f.decodeMs),
      drawMs,
      index: f.index,
      cause,
      ms: performance.now() - requestedAt,
      fetchMs: cached ? 0 : f.fetchMs,
      decodeMs: cached ? 0 : f.decodeMs,
      cached,
    });
    if (seeks.length > 2000) seeks.splice(0, 1000);
    document.body.dataset.frameShown = String(f.index);
    window.dispatchEvent(new CustomEvent('grokdrive:frameshown', { detail: { index: f.index } }));
    if (!ready) {
      ready = true;
      window.__grokdriveReady = true;
      document.body.dataset.ready = 'true';
    }
  };

  const seek = (index: number, cause: SeekCause) => {
    if (!n) return;
    wanted = Math.min(n - 1, Math.max(0, index));
    wantedAt = performance.now();
    wantedCause = cause;
    timeline.setIndex(wanted);
    if (loading) return;
    loading = true;
    void (async () => {
      try {
        // Keep going until the frame on screen is the latest one asked for.
        while (!shown || shown.index !== wanted) {
          const i = wanted;
          const at = wantedAt;
          const why = wantedCause;
          const cached = store.isCached(i);
          let f: FrameData;
          try {
            f = await store.load(i);
          } catch (e) {
            if ((e as Error).message === 'evicted') continue;
            throw e;
          }
          await present(f, at, performance.now(), why, cached);
          prefetchAround(i);
        }
      } catch (e) {
        showError(`frame ${wanted}: ${(e as Error).message}`);
      } finally {
        loading = false;
      }
    })();
  };

  const timeline = new Timeline($('timeline'), overview.frameTimes, overview.summary.startNs, seek);
  const plot = overview.results.length
    ? new LatencyPlot($('latency-plot'), overview.results, overview.summary.startNs, (s) => {
        const t = overview.summary.startNs + BigInt(Math.round(s * 1e9));
        seek(Math.max(0, indexAtOrBefore(overview.frameTimes, t)), 'jump');
      })
    : null;
  if (!plot) $('latency-plot').innerHTML = '<div class="empty">No engine timings in this log (no /engine/frame_result).</div>';
  const frameIndexAt = (t: bigint) => Math.max(0, indexAtOrBefore(overview.frameTimes, t));
  renderDiagnostics($('diag-body'), overview.results, [], frameIndexAt, (i) => seek(i, 'jump'));
  if (L.trajectory) {
    // Plan outcomes are a whole-drive read of bigger messages: after the first frame is up.
    void loadPlanOutcomes(L.trajectory).then(
      (plans) => {
        renderDiagnostics($('diag-body'), overview.results, plans, frameIndexAt, (i) => seek(i, 'jump'));
        document.body.dataset.diagnostics = 'complete';
      },
      (e: Error) => {
        const note = document.createElement('div');
        note.className = 'diag-summary';
        note.textContent = `Plan outcomes not loaded: ${e.message}`;
        $('diag-body').appendChild(note);
        document.body.dataset.diagnostics = 'complete';
      },
    );
  } else document.body.dataset.diagnostics = 'complete';

  const toggles: LayerToggle[] = [
    { id: 'ego', label: 'Ego car', available: overview.egoPoses.length > 0, on: on.ego!, absentReason: 'no /ego/pose' },
    { id: 'trajectory', label: 'Driven trajectory', available: overview.egoPoses.length > 1, on: on.trajectory!, absentReason: 'no /ego/pose' },
    { id: 'grid', label: 'Occupancy grid', available: !!L.grid, on: on.grid! },
    { id: 'groundTruthGrid', label: 'Ground-truth occupancy', available: !!L.groundTruthGrid, on: on.groundTruthGrid! },
    { id: 'plan', label: 'Planned path (by speed)', available: !!(L.plan || L.trajectory), on: on.plan! },
    { id: 'lidar', label: 'Lidar points', available: !!L.lidar, on: on.lidar! },
    { id: 'freeSpace', label: 'Camera: free-space boundary', available: !!(L.grid && L.image), on: on.freeSpace! },
    { id: 'planOverlay', label: 'Camera: planned path', available: !!((L.plan || L.trajectory) && L.image), on: on.planOverlay! },
    { id: 'segmentation', label: 'Camera: segmentation', available: !!(L.segmentation && L.image), on: on.segmentation! },
    { id: 'stereoGround', label: 'Camera: flat in stereo', available: !!(L.stereoGround && L.image), on: on.stereoGround!, absentReason: 'no stereo check (replay --stereo)' },
    { id: 'lidarOverlay', label: 'Camera: lidar points by depth', available: !!(L.lidar && L.image), on: on.lidarOverlay! },
  ];
  renderLayerPanel(
    $('layer-list'),
    toggles,
    (id, value) => {
      const before = wantedLayers().join();
      on[id] = value;
      if (['ego', 'trajectory', 'grid', 'groundTruthGrid', 'plan', 'lidar'].includes(id)) scene.setLayerVisible(id as SceneLayer, value);
      else camera.setOverlay(id as CameraOverlay, value);
      if (wantedLayers().join() !== before) {
        // Fetch the frame again with the new set of layers.
        store.invalidate();
        shown = null;
        seek(timeline.current, 'jump');
      }
    },
    scene.getCameraMode(),
    (m) => scene.setCameraMode(m),
  );

  window.__grokdrive = {
    frameCount: n,
    seek: (i: number) => seek(i, 'jump'),
    play: () => timeline.play(),
    pause: () => timeline.pause(),
    playing: () => timeline.isPlaying(),
    setSpeed: (s: number) => timeline.setSpeed(s),
    current: () => timeline.current,
    shownIndex: () => shown?.index ?? -1,
    seeks: () => [...seeks],
    renderTimes: () => scene.renderTimes(),
    layers: () => ({ ...overview.layers }),
  };

  if (!n) {
    $('hud').textContent = 'This log has no camera frames, ego poses or engine results to step through.';
    await scene.rendered();
    window.__grokdriveReady = true;
    document.body.dataset.ready = 'true';
    return;
  }
  seek(0, 'jump');
}

start().catch((e: Error) => {
  showError(`could not open the log: ${e.message}`);
  document.body.dataset.ready = 'error';
});
