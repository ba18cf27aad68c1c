import { describe, expect, it } from 'vitest';
import { CameraModel } from '../../sensors/camera.js';
import { quatFromEuler, multiplyQuat } from '../../sensors/pose.js';
import {
  Label,
  PrismGrid,
  Prisms,
  SceneRenderer,
  Shape,
  Style,
  SyntheticWorld,
  syntheticCalibration,
  type Town,
} from '../../datasets/synthetic/index.js';

/** The world's town plus extra prisms, re-indexed. */
function townWith(town: Town, add: (p: Prisms) => void): Town {
  const statics = new Prisms(town.statics.count + 8);
  for (let i = 0; i < town.statics.count; i++) {
    const s = town.statics;
    statics.add({
      shape: s.shape[i], label: s.label[i], style: s.style[i], x: s.x[i], y: s.y[i], yaw: Math.atan2(s.sin[i], s.cos[i]),
      hx: s.hx[i], hy: s.hy[i], radius: s.radius[i], zMin: s.zMin[i], zMax: s.zMax[i], color: [s.r[i], s.g[i], s.b[i]],
      variant: s.variant[i], occupies: s.occupies[i] === 1,
    });
  }
  add(statics);
  const r = town.roads;
  return { ...town, statics, grid: new PrismGrid(statics, r.minX, r.minY, r.maxX, r.maxY) };
}

describe('synthetic renderer', () => {
  const world = new SyntheticWorld({ seed: 4, seconds: 5 });
  const calib = syntheticCalibration(320, 240);
  const camera = new CameraModel(calib);
  const renderer = new SceneRenderer(calib);

  it('draws a pole where the camera model projects it', () => {
    const ego = world.egoPose(0);
    // A pole 14 m ahead and 1.2 m to the left of the car, on its lane.
    const ahead = { x: 14, y: 1.2 };
    const px = ego.x + Math.cos(ego.yaw) * ahead.x - Math.sin(ego.yaw) * ahead.y;
    const py = ego.y + Math.sin(ego.yaw) * ahead.x + Math.cos(ego.yaw) * ahead.y;
    const town = townWith(world.town, (p) =>
      p.add({ shape: Shape.cylinder, label: Label.pole, style: Style.pole, x: px, y: py, radius: 0.2, zMin: 0, zMax: 6, color: [120, 120, 120] }),
    );
    world.setTime(0);
    const frame = renderer.render(town, world.actors.prisms, ego);
    let checked = 0;
    for (const z of [0.3, 1, 2, 3.5]) {
      const pix = camera.projectVehiclePoint({ x: ahead.x, y: ahead.y, z });
      expect(pix).not.toBeNull();
      const u = Math.round(pix!.u);
      const v = Math.round(pix!.v);
      if (v < 0 || v >= calib.height) continue;
      expect(frame.labels[v * calib.width + u]).toBe(Label.pole);
      // The pole is ~ 0.4 m wide at 12.4 m from the camera: a few pixels, not more.
      expect(frame.labels[v * calib.width + u + 8]).not.toBe(Label.pole);
      expect(frame.labels[v * calib.width + u - 8]).not.toBe(Label.pole);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
    // Under its foot, just in front of it, the road.
    const foot = camera.projectVehiclePoint({ x: ahead.x - 0.6, y: ahead.y, z: 0 })!;
    expect(frame.labels[Math.round(foot.v) * calib.width + Math.round(foot.u)]).toBe(Label.road);
  });

  it('shows sky above the horizon and ground below it in an open column', () => {
    world.setTime(0);
    const frame = renderer.render(world.town, world.actors.prisms, world.egoPose(0));
    const counts = new Array(12).fill(0);
    for (const l of frame.labels) counts[l]++;
    const n = frame.labels.length;
    expect(counts[Label.road]).toBeGreaterThan(n * 0.15);
    expect(counts[Label.building] + counts[Label.sky]).toBeGreaterThan(n * 0.2);
    // The bottom row centre is the ego's lane, just ahead of the bonnet.
    expect(frame.labels[(calib.height - 1) * calib.width + calib.width / 2]).toBe(Label.road);
    // Pixels are not a flat colour: asphalt noise and shading vary them.
    const row = (calib.height - 20) * calib.width;
    const greys = new Set<number>();
    for (let u = 100; u < 200; u++) greys.add(frame.rgb[(row + u) * 3]);
    expect(greys.size).toBeGreaterThan(5);
  });

  it('is deterministic and moves with the ego', () => {
    world.setTime(1);
    const a = renderer.render(world.town, world.actors.prisms, world.egoPose(1), 1);
    const b = renderer.render(world.town, world.actors.prisms, world.egoPose(1), 1);
    expect(Buffer.compare(Buffer.from(a.rgb), Buffer.from(b.rgb))).toBe(0);
    world.setTime(2);
    const c = renderer.render(world.town, world.actors.prisms, world.egoPose(2), 2);
    let diff = 0;
    for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== c.labels[i]) diff++;
    expect(diff).toBeGreaterThan(a.labels.length * 0.01);
  });

  it('rejects cameras it cannot draw, with the reason', () => {
    const pitched = syntheticCalibration(64, 48);
    pitched.cameraToVehicle.orientation = multiplyQuat(quatFromEuler(0, 0.1, 0), pitched.cameraToVehicle.orientation);
    expect(() => new SceneRenderer(pitched)).toThrow(/level camera/);
    const distorted = { ...syntheticCalibration(64, 48), distortion: [0.1, 0, 0, 0, 0] as [number, number, number, number, number] };
    expect(() => new SceneRenderer(distorted)).toThrow(/distortion/);
  });
});
