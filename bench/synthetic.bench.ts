/**
 * Synthetic world: CPU time to render one camera frame (labels and range included), against
 * the other per-frame work of `grokdrive synth` measured on the same frames: JPEG encoding and
 * the ground-truth occupancy grid. Also the budget at 10 fps (100 ms per frame).
 */
import { SyntheticWorld, SceneRenderer, syntheticCalibration, encodeJpeg, groundTruthOccupancy } from '../datasets/synthetic/index.js';

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function run(): Promise<void> {
  const seeds = [1, 2, 3];
  const sizes: [number, number][] = [
    [480, 360],
    [320, 240],
  ];
  for (const [w, h] of sizes) {
    const renderer = new SceneRenderer(syntheticCalibration(w, h));
    const out = renderer.allocate();
    let renderCpu = 0;
    let renderWall = 0;
    let jpegWall = 0;
    let gridCpu = 0;
    let frames = 0;
    for (const seed of seeds) {
      const world = new SyntheticWorld({ seed, seconds: 20 });
      // Warm-up: the first frames run before the JIT has optimised the hot loops.
      for (let k = 0; k < 5; k++) renderer.render(world.town, world.actors.prisms, world.egoPose(k * 0.1), k, out);
      for (let k = 0; k < 60; k++) {
        const t = k * 0.3;
        world.setTime(t);
        const ego = world.egoPose(t);
        const c0 = cpuMs();
        const w0 = performance.now();
        renderer.render(world.town, world.actors.prisms, ego, k, out);
        renderWall += performance.now() - w0;
        renderCpu += cpuMs() - c0;
        const j0 = performance.now();
        await encodeJpeg(out, 90);
        jpegWall += performance.now() - j0;
        const g0 = cpuMs();
        groundTruthOccupancy(world.town, world.actors.prisms, ego, 0n);
        gridCpu += cpuMs() - g0;
        frames++;
      }
    }
    const r = renderCpu / frames;
    console.log(
      `render ${w}x${h}: ${r.toFixed(1)} ms CPU/frame (${(renderWall / frames).toFixed(1)} ms wall), ` +
        `JPEG encode ${(jpegWall / frames).toFixed(1)} ms wall/frame (render/JPEG ${(renderWall / jpegWall).toFixed(1)}x), ` +
        `ground-truth grid ${(gridCpu / frames).toFixed(1)} ms CPU/frame; ` +
        `render uses ${((100 * r) / 100).toFixed(0)}% of a 10 fps frame budget, over ${frames} frames of ${seeds.length} towns`,
    );
  }
}
