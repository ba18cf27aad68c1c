/**
 * The visual debugger in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; WebGL through SwiftShader): real drive logs written with DriveWriter, the
 * built page served by the view server, checks on what the page actually draws.
 *
 * Screenshots go to test-artifacts/. Timing figures (scrub-to-frame latency on a 1000-frame
 * log, frame times while playing) are printed and written to test-artifacts/viz-perf.json; they
 * are reported, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath } from '../../datasets/data-root.js';
import { importKittiRaw } from '../../datasets/importers/index.js';
import { replayDrive } from '../../engine/replay/replay-drive.js';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { topics } from '../../types/topics.js';
import { defaultPlanner } from '../../engine/planning/default-planner.js';
import { startViewServer, type ViewServer } from '../../viz/server/view-server.js';
import { writeSyntheticDrive } from './drive-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = process.cwd();
const ARTIFACTS = join(ROOT, 'test-artifacts');
const APP_DIST = join(ROOT, 'viz', 'app', 'dist');
const KITTI_DRIVE = dataPath('kitti-raw', '2011_09_26_drive_0001_sync');
/** Loaded 2-core machines: page loads and first frames can take a while. */
const READY_TIMEOUT = 90_000;

let dir: string;
let ctx: BrowserContext;
const servers: ViewServer[] = [];
const logs = { kittiImport: '', kittiReplay: '', kittiStereoImport: '', kittiStereo: '', engine: '', long: '', imagesOnly: '' };

interface Raster {
  width: number;
  height: number;
  data: Buffer;
}

async function raster(png: Buffer): Promise<Raster> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** Share of pixels whose colour differs by more than `tol` in some channel. */
function changedFraction(a: Raster, b: Raster, tol = 24): number {
  expect(a.width).toBe(b.width);
  expect(a.height).toBe(b.height);
  let changed = 0;
  for (let i = 0; i < a.data.length; i += 3) {
    if (Math.abs(a.data[i]! - b.data[i]!) > tol || Math.abs(a.data[i + 1]! - b.data[i + 1]!) > tol || Math.abs(a.data[i + 2]! - b.data[i + 2]!) > tol) changed++;
  }
  return changed / (a.width * a.height);
}

/** Number of distinct colours (quantised to 4 bits per channel): a blank canvas has one or two. */
function colourCount(r: Raster): number {
  const seen = new Set<number>();
  for (let i = 0; i < r.data.length; i += 3) seen.add(((r.data[i]! >> 4) << 8) | ((r.data[i + 1]! >> 4) << 4) | (r.data[i + 2]! >> 4));
  return seen.size;
}

async function shot(target: Locator, name?: string): Promise<Raster> {
  const png = await target.screenshot({ animations: 'disabled', timeout: 60_000 });
  if (name) await writeFile(join(ARTIFACTS, name), png);
  return raster(png);
}

async function openViewer(logPath: string): Promise<Page> {
  const server = await startViewServer({ logPath });
  servers.push(server);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url, { timeout: READY_TIMEOUT });
  await page.waitForSelector('body[data-ready]', { timeout: READY_TIMEOUT });
  expect(await page.evaluate(() => document.body.dataset.ready), `page errors: ${errors.join('; ')}`).toBe('true');
  expect(await page.locator('#error-banner').isHidden()).toBe(true);
  expect(errors).toEqual([]);
  return page;
}

/** Scrubs the timeline slider to a frame and waits until that frame is on screen. */
async function scrubTo(page: Page, index: number): Promise<number> {
  return page.evaluate(async (i) => {
    const slider = document.querySelector<HTMLInputElement>('#timeline .scrub')!;
    const t0 = performance.now();
    const shown = new Promise<void>((resolve) => {
      const onShown = (e: Event) => {
        if ((e as CustomEvent<{ index: number }>).detail.index !== i) return;
        window.removeEventListener('grokdrive:frameshown', onShown);
        resolve();
      };
      window.addEventListener('grokdrive:frameshown', onShown);
    });
    slider.value = String(i);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await shown;
    // The drawn frame reaches the screen with the next animation frame.
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    return performance.now() - t0;
  }, index);
}

/** Runs `action` (one that makes the page fetch the frame again) and waits for the frame to show. */
async function withRefetch(page: Page, action: () => Promise<void>): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __nextShown: Promise<null> }).__nextShown = new Promise((r) =>
      window.addEventListener('grokdrive:frameshown', () => r(null), { once: true }),
    );
  });
  await action();
  await page.evaluate(() => (window as unknown as { __nextShown: Promise<null> }).__nextShown);
  // A frame that was already loading (e.g. from playback) may be shown first: wait for the one asked for.
  await page.waitForFunction(() => {
    const api = (window as unknown as { __grokdrive: { current(): number; shownIndex(): number } }).__grokdrive;
    return api.shownIndex() === api.current();
  });
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  // `npm test` builds the page first; a lone run of this file may not have.
  if (!existsSync(join(APP_DIST, 'index.html'))) {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', 'viz/app/vite.config.ts'], { cwd: ROOT, stdio: 'ignore' });
  }
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-viewer-'));
  logs.kittiImport = join(dir, 'kitti.mcap');
  await importKittiRaw(KITTI_DRIVE, logs.kittiImport, { cameras: ['image_02'] });
  // The engine's replay of the real drive, as `grokdrive replay` runs it: segmentation, grid,
  // plans, frame results, timings.
  logs.kittiReplay = join(dir, 'kitti-replay.mcap');
  await replayDrive(logs.kittiImport, logs.kittiReplay, { cameraId: 'image_02', planner: defaultPlanner() });
  // The same drive with image_03 as its stereo pair (no planning: only the camera matters here).
  logs.kittiStereoImport = join(dir, 'kitti-stereo.mcap');
  await importKittiRaw(KITTI_DRIVE, logs.kittiStereoImport, { cameras: ['image_02', 'image_03'], lidar: false });
  logs.kittiStereo = join(dir, 'kitti-stereo-replay.mcap');
  await replayDrive(logs.kittiStereoImport, logs.kittiStereo, { cameraId: 'image_02', stereoRight: 'image_03' });
  logs.engine = join(dir, 'engine.mcap');
  await writeSyntheticDrive(logs.engine, { frames: 120, width: 320, height: 180, engineOutputs: true });
  logs.imagesOnly = join(dir, 'images-only.mcap');
  await writeSyntheticDrive(logs.imagesOnly, { frames: 30, width: 160, height: 90, poses: false });
  logs.long = join(dir, 'long.mcap');
  await writeSyntheticDrive(logs.long, { frames: 1000, engineOutputs: true });
  ctx = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 300_000);

afterAll(async () => {
  await ctx?.close();
  for (const s of servers) await s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('viewer on a KITTI drive with images, poses and lidar only', () => {
  it('loads, draws the 3D scene and shows the camera image', async () => {
    const page = await openViewer(logs.kittiImport);
    // Engine layers are absent, not broken.
    for (const layer of ['grid', 'plan', 'freeSpace', 'planOverlay']) {
      expect(await page.locator(`input[data-layer="${layer}"]`).isDisabled(), layer).toBe(true);
    }
    expect(await page.locator('input[data-layer="lidar"]').isEnabled()).toBe(true);
    expect(await page.locator('#diag-body').textContent()).toContain('No engine results');

    const scene = await shot(page.locator('#scene canvas'), 'viz-kitti-import-scene.png');
    expect(colourCount(scene)).toBeGreaterThan(40);

    // The camera panel holds frame 0's pixels: compare with the image file itself.
    const canvas = page.locator('#camera-view canvas');
    const drawn = await shot(canvas, 'viz-kitti-import-camera.png');
    const source = await sharp(join(KITTI_DRIVE, 'image_02', 'data', '0000000000.png'))
      .resize(drawn.width, drawn.height, { fit: 'fill' })
      .removeAlpha()
      .raw()
      .toBuffer();
    let sum = 0;
    for (let i = 0; i < source.length; i++) sum += Math.abs(source[i]! - drawn.data[i]!);
    expect(sum / source.length).toBeLessThan(12);
    await page.screenshot({ path: join(ARTIFACTS, 'viz-kitti-import.png') });
    await page.close();
  });

  it('scrubbing changes the scene and the camera image', async () => {
    const page = await openViewer(logs.kittiImport);
    const sceneBefore = await shot(page.locator('#scene canvas'));
    const cameraBefore = await shot(page.locator('#camera-view canvas'));
    await scrubTo(page, 80);
    await settle(page);
    const sceneAfter = await shot(page.locator('#scene canvas'), 'viz-kitti-import-frame80.png');
    const cameraAfter = await shot(page.locator('#camera-view canvas'));
    expect(changedFraction(sceneBefore, sceneAfter)).toBeGreaterThan(0.01);
    expect(changedFraction(cameraBefore, cameraAfter)).toBeGreaterThan(0.2);
    expect(await page.locator('#timeline .time').textContent()).toMatch(/frame 81 \/ 108/);
    await page.close();
  });

  it('projects the lidar scan into the camera image', async () => {
    const page = await openViewer(logs.kittiImport);
    const before = await shot(page.locator('#camera-view canvas'));
    // Lidar is already fetched for the 3D layer: the overlay draws without a new request.
    await page.locator('input[data-layer="lidarOverlay"]').check();
    await settle(page);
    const after = await shot(page.locator('#camera-view canvas'), 'viz-kitti-import-lidar.png');
    expect(changedFraction(before, after)).toBeGreaterThan(0.1);
    // Frame 5 has no scan of its own (every 10th frame has one): no stale points are drawn.
    await scrubTo(page, 5);
    const noScan = await shot(page.locator('#camera-view canvas'));
    await page.locator('input[data-layer="lidarOverlay"]').uncheck();
    await settle(page);
    const bare = await shot(page.locator('#camera-view canvas'));
    expect(changedFraction(noScan, bare)).toBeLessThan(0.001);
    expect(await page.locator('#camera-note').textContent()).toBe('');
    await page.close();
  });

  it('steps with the arrow keys and plays with space', async () => {
    const page = await openViewer(logs.kittiImport);
    await page.locator('#scene').click();
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('body[data-frame-shown="1"]', { timeout: 30_000 });
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForSelector('body[data-frame-shown="11"]', { timeout: 30_000 });
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('body[data-frame-shown="10"]', { timeout: 30_000 });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => Number(document.body.dataset.frameShown) >= 14, undefined, { timeout: 30_000 });
    await page.keyboard.press(' ');
    const stopped = await page.evaluate(() => (window.__grokdrive as { current(): number }).current());
    await page.waitForTimeout(600);
    expect(await page.evaluate(() => (window.__grokdrive as { current(): number }).current())).toBe(stopped);
    // After a click on the play button, space pauses (the button does not keep the key).
    const playing = () => page.evaluate(() => (window.__grokdrive as { playing(): boolean }).playing());
    await page.locator('#timeline .play').click();
    expect(await playing()).toBe(true);
    await page.keyboard.press(' ');
    expect(await playing()).toBe(false);
    await page.close();
  });
});

describe('viewer on a log of camera images without poses', () => {
  it('loads with the camera panel and timeline; pose layers are absent', async () => {
    const page = await openViewer(logs.imagesOnly);
    for (const layer of ['ego', 'trajectory', 'grid', 'plan', 'lidar']) {
      expect(await page.locator(`input[data-layer="${layer}"]`).isDisabled(), layer).toBe(true);
    }
    const before = await shot(page.locator('#camera-view canvas'));
    expect(colourCount(before)).toBeGreaterThan(3);
    await scrubTo(page, 12);
    const after = await shot(page.locator('#camera-view canvas'), 'viz-images-only-camera.png');
    expect(changedFraction(before, after)).toBeGreaterThan(0.02);
    expect(await page.locator('#timeline .time').textContent()).toMatch(/frame 13 \/ 30/);
    await page.close();
  });
});

describe('viewer on the engine replay of the KITTI drive', () => {
  it('loads the replay: scene, grid, camera with free-space overlay, latency plot', async () => {
    // A frame from the middle of the drive whose plan succeeded, if any did: it shows every layer.
    const reader = await DriveReader.open(logs.kittiReplay);
    const frameTimes: bigint[] = [];
    const planOk = new Set<bigint>();
    for await (const m of reader.messages({ topics: [topics.cameraCalibration('image_02'), topics.trajectory] })) {
      if (m.topic === topics.trajectory) {
        if ((m.message as { status: string }).status === 'ok') planOk.add(m.logTimeNs);
      } else frameTimes.push(m.logTimeNs);
    }
    await reader.close();
    const okFrames = frameTimes.map((t, i) => (planOk.has(t) ? i : -1)).filter((i) => i >= 0);
    const shown = okFrames.find((i) => i >= 50) ?? okFrames[0] ?? 60;

    const page = await openViewer(logs.kittiReplay);
    for (const layer of ['grid', 'freeSpace', 'segmentation']) {
      expect(await page.locator(`input[data-layer="${layer}"]`).isEnabled(), layer).toBe(true);
    }
    // A replay without a stereo pair has no stereo mask, and says why.
    expect(await page.locator('input[data-layer="stereoGround"]').isEnabled()).toBe(false);
    expect(await page.locator('#layer-list').textContent()).toContain('no stereo check (replay --stereo)');
    expect(await page.locator('.diag-summary').textContent()).toMatch(/^108 frames: /);
    expect(await page.locator('#latency-plot .u-legend').textContent()).toContain('segment');
    await scrubTo(page, shown);
    await settle(page);
    const scene = await shot(page.locator('#scene canvas'), 'viz-kitti-replay-scene.png');
    expect(colourCount(scene)).toBeGreaterThan(40);
    const camera = await shot(page.locator('#camera-view canvas'), 'viz-kitti-replay-camera.png');
    expect(colourCount(camera)).toBeGreaterThan(200);

    // The free-space overlay draws over the image; without it the panel is the bare image.
    await page.locator('input[data-layer="freeSpace"]').uncheck();
    await settle(page);
    const bare = await shot(page.locator('#camera-view canvas'));
    expect(changedFraction(camera, bare, 12)).toBeGreaterThan(0.01);
    await page.locator('input[data-layer="freeSpace"]').check();
    await page.waitForSelector('body[data-diagnostics="complete"]', { timeout: 60_000 });
    await settle(page);

    const full = await page.screenshot();
    await writeFile(join(ARTIFACTS, 'viz-kitti-replay.png'), full);
    if (process.env.GROKDRIVE_UPDATE_SCREENSHOT) await copyFile(join(ARTIFACTS, 'viz-kitti-replay.png'), join(ROOT, 'docs', 'viz-screenshot.png'));

    // Scrubbing changes what is shown, and hiding the grid changes the scene.
    const other = shown > 40 ? 15 : 90;
    await scrubTo(page, other);
    await settle(page);
    const earlier = await shot(page.locator('#scene canvas'));
    expect(changedFraction(scene, earlier)).toBeGreaterThan(0.02);
    await page.locator('input[data-layer="grid"]').uncheck();
    await page.waitForSelector(`body[data-frame-shown="${other}"]`);
    await settle(page);
    const noGrid = await shot(page.locator('#scene canvas'), 'viz-kitti-replay-no-grid.png');
    expect(changedFraction(earlier, noGrid)).toBeGreaterThan(0.05);
    await page.close();
  });

  it('shows the segmentation over the camera image in the model\'s class colours', async () => {
    const page = await openViewer(logs.kittiReplay);
    const before = await shot(page.locator('#camera-view canvas'));
    await withRefetch(page, () => page.locator('input[data-layer="segmentation"]').check());
    await settle(page);
    const after = await shot(page.locator('#camera-view canvas'), 'viz-kitti-replay-segmentation.png');
    expect(changedFraction(before, after)).toBeGreaterThan(0.3);
    await page.close();
  });
});

describe('viewer on a KITTI replay with the stereo ground check', () => {
  it('tints the pixels stereo found flat over the camera image', async () => {
    const page = await openViewer(logs.kittiStereo);
    await scrubTo(page, 50);
    await settle(page);
    const before = await shot(page.locator('#camera-view canvas'));
    await withRefetch(page, () => page.locator('input[data-layer="stereoGround"]').check());
    await settle(page);
    const after = await shot(page.locator('#camera-view canvas'), 'viz-kitti-stereo-flat.png');
    // The road and the track bed are a large part of the lower image.
    expect(changedFraction(before, after)).toBeGreaterThan(0.1);
    await page.close();
  });
});

describe('viewer on a log with the engine outputs', () => {
  it('draws grid, plan, overlays, latency plot and diagnostics; toggling the grid changes the picture', async () => {
    const page = await openViewer(logs.engine);
    await scrubTo(page, 30);
    await settle(page);
    const withGrid = await shot(page.locator('#scene canvas'), 'viz-engine-scene.png');
    const cameraWith = await shot(page.locator('#camera-view canvas'));
    expect(colourCount(withGrid)).toBeGreaterThan(40);
    // The latency plot is drawn (uPlot canvas with the stage series).
    expect(await page.locator('#latency-plot canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#latency-plot .u-legend').textContent()).toContain('segment');

    await page.locator('input[data-layer="grid"]').uncheck();
    await page.waitForSelector('body[data-frame-shown="30"]');
    await settle(page);
    const withoutGrid = await shot(page.locator('#scene canvas'), 'viz-engine-scene-no-grid.png');
    expect(changedFraction(withGrid, withoutGrid)).toBeGreaterThan(0.02);

    // The free-space overlay still needs the grid's data: the camera panel keeps it.
    const cameraKept = await shot(page.locator('#camera-view canvas'));
    expect(changedFraction(cameraWith, cameraKept)).toBeLessThan(0.01);
    await page.locator('input[data-layer="freeSpace"]').uncheck();
    await settle(page);
    const cameraNoFree = await shot(page.locator('#camera-view canvas'));
    expect(changedFraction(cameraWith, cameraNoFree)).toBeGreaterThan(0.02);
    await page.close();
  });

  it('plays at the chosen speed and seeks from a click on the latency plot', async () => {
    const page = await openViewer(logs.engine);
    await page.locator('#timeline .speed').selectOption('8');
    const advanced = await page.evaluate(async () => {
      const api = window.__grokdrive as { play(): void; pause(): void; current(): number };
      const start = api.current();
      api.play();
      await new Promise((r) => setTimeout(r, 1000));
      api.pause();
      return api.current() - start;
    });
    // One second at 8x is 80 frames of this 10 Hz log; 1x would be 10.
    expect(advanced).toBeGreaterThan(30);

    const over = page.locator('#latency-plot .u-over');
    const box = (await over.boundingBox())!;
    await withRefetch(page, () => over.click({ position: { x: box.width * 0.25, y: box.height / 2 } }));
    const shown = Number(await page.evaluate(() => document.body.dataset.frameShown));
    // A quarter of the way through the 12 s drive.
    expect(shown).toBeGreaterThan(15);
    expect(shown).toBeLessThan(45);
    await page.close();
  });

  it('camera modes change the view', async () => {
    const page = await openViewer(logs.engine);
    const follow = await shot(page.locator('#scene canvas'));
    await page.locator('button[data-mode="top"]').click();
    await settle(page);
    const top = await shot(page.locator('#scene canvas'), 'viz-engine-top.png');
    expect(changedFraction(follow, top)).toBeGreaterThan(0.05);
    await page.locator('button[data-mode="orbit"]').click();
    await settle(page);
    const orbit = await shot(page.locator('#scene canvas'));
    expect(changedFraction(top, orbit)).toBeGreaterThan(0.05);
    await page.close();
  });

  it('lists dropped and failed frames; clicking one jumps to it', async () => {
    const page = await openViewer(logs.engine);
    await page.waitForSelector('body[data-diagnostics="complete"]', { timeout: 60_000 });
    // 4 failed frames plan from a start in collision; dropped frames have no plan.
    expect(await page.locator('.diag-summary').textContent()).toMatch(/^120 frames: 109 processed, 7 dropped, 4 failed; 109 of 113 plans ok$/);
    const planFailures = page.locator('.diag.warn', { hasText: 'plan start_in_collision' });
    expect(await planFailures.count()).toBe(4);
    const failed = page.locator('.diag.error').first();
    expect(await failed.textContent()).toContain('start in collision');
    const index = await failed.getAttribute('data-index');
    await failed.click();
    await page.waitForSelector(`body[data-frame-shown="${index}"]`, { timeout: 30_000 });
    expect(await page.locator('#hud').textContent()).toContain('failed');
    await page.close();
  });
});

describe('scrubbing speed on a 1000-frame log', () => {
  it('shows every scrubbed-to frame; reports the latency and the frame time', async () => {
    const page = await openViewer(logs.long);
    expect(await page.evaluate(() => (window.__grokdrive as { frameCount: number }).frameCount)).toBe(1000);
    // Far-apart frames in a fixed pseudo-random order: each one is a cache miss.
    const targets = Array.from({ length: 24 }, (_, k) => (137 + k * 397) % 1000);
    const scrubMs: number[] = [];
    for (const i of targets) {
      scrubMs.push(await scrubTo(page, i));
      expect(await page.evaluate(() => (window.__grokdrive as { shownIndex(): number }).shownIndex())).toBe(i);
      await page.waitForTimeout(150);
    }
    // Stepping to the next frame: served from the page's prefetch cache.
    const stepMs: number[] = [];
    for (let k = 1; k <= 10; k++) {
      stepMs.push(await scrubTo(page, 600 + k));
      await page.waitForTimeout(100);
    }

    // Frame time while playing at 1x: animation-frame intervals and the scene's render time.
    await page.evaluate(() => (window.__grokdrive as { seek(i: number): void }).seek(100));
    await page.waitForSelector('body[data-frame-shown="100"]');
    const play = await page.evaluate(async () => {
      const api = window.__grokdrive as { play(): void; pause(): void; renderTimes(): number[]; current(): number };
      const before = api.renderTimes().length;
      const startFrame = api.current();
      const deltas: number[] = [];
      let last = performance.now();
      api.play();
      const end = last + 3000;
      while (performance.now() < end) {
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        deltas.push(now - last);
        last = now;
      }
      api.pause();
      return { deltas, render: api.renderTimes().slice(before), frames: api.current() - startFrame };
    });
    type Seek = { index: number; ms: number; fetchMs: number; decodeMs: number; drawMs: number; queueMs: number; cached: boolean };
    const seeks = await page.evaluate(() => (window.__grokdrive as { seeks(): Seek[] }).seeks());
    const scrubSeeks = targets.map((i) => seeks.find((s) => s.index === i && !s.cached)).filter((s): s is Seek => !!s);
    const figures = {
      log: '1000 frames, 64x48 PNG images, 160x160 grid, plan and results per frame',
      scrubToShownMs: { p50: percentile(scrubMs, 50), p95: percentile(scrubMs, 95), max: Math.max(...scrubMs), samples: scrubMs.length },
      scrubBreakdownP50: {
        serverRoundTripMs: percentile(scrubSeeks.map((s) => s.fetchMs), 50),
        decodeMs: percentile(scrubSeeks.map((s) => s.decodeMs), 50),
        waitForFetchSlotMs: percentile(scrubSeeks.map((s) => s.queueMs), 50),
        updateAndRenderMs: percentile(scrubSeeks.map((s) => s.drawMs), 50),
      },
      stepToShownMs: { p50: percentile(stepMs, 50), p95: percentile(stepMs, 95) },
      playing1x: {
        animationFrameMs: { p50: percentile(play.deltas, 50), p95: percentile(play.deltas, 95) },
        renderMs: play.render.length ? { p50: percentile(play.render, 50), p95: percentile(play.render, 95) } : null,
        framesAdvanced: play.frames,
      },
    };
    console.log(`viewer timing: ${JSON.stringify(figures)}`);
    await writeFile(join(ARTIFACTS, 'viz-perf.json'), JSON.stringify(figures, null, 2));
    expect(play.frames).toBeGreaterThan(5);
    await page.close();
  });
});
