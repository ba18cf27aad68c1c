/**
 * The seeded town: streets (road-network.ts) lined with buildings, fences, poles, signs, trees
 * and parked cars. Pure function of the seed and options.
 */
import { Ground, RoadNetwork, generateRoadNetwork, type RoadNetworkOptions } from './road-network.js';
import { Label, PrismGrid, Prisms, Shape, Style } from './prisms.js';
import { Prng } from './prng.js';
import type { Polyline } from './polyline.js';

export interface Lighting {
  /** Unit vector toward the sun (world frame, z up). */
  sun: [number, number, number];
  ambient: number;
  diffuse: number;
  skyHorizon: [number, number, number];
  skyZenith: [number, number, number];
  /** Cloud cover 0..1 (modulates the sky noise). */
  clouds: number;
}

export interface Town {
  seed: number;
  roads: RoadNetwork;
  /** Scenery that never moves. */
  statics: Prisms;
  grid: PrismGrid;
  lighting: Lighting;
}

export interface TownOptions extends RoadNetworkOptions {
  /** Share of parking slots holding a car. */
  parkedShare?: number;
}

// Muted, dark facades: CamVid's buildings average about (88, 89, 88) with strong texture.
const FACADE_COLORS: [number, number, number][] = [
  [98, 80, 72],
  [112, 102, 92],
  [88, 88, 88],
  [122, 112, 100],
  [74, 62, 58],
  [140, 136, 128],
  [104, 78, 62],
  [96, 98, 102],
];

export const CAR_COLORS: [number, number, number][] = [
  [180, 182, 186],
  [215, 215, 212],
  [35, 36, 40],
  [40, 55, 95],
  [140, 30, 30],
  [95, 98, 102],
  [60, 80, 60],
];

export function generateTown(seed: number, options: TownOptions = {}): Town {
  const root = new Prng(seed);
  const roads = generateRoadNetwork(root.fork(1), options);
  const statics = new Prisms(2048);
  const rng = root.fork(2);
  const parkedShare = options.parkedShare ?? 0.45;

  for (const edge of roads.edges) {
    for (const side of [1, -1]) {
      lineBuildings(roads, edge.line, side, rng, statics);
      lineStreetFurniture(roads, edge.line, side, rng, statics);
      parkCars(roads, edge.line, side, rng, statics, parkedShare);
    }
  }
  const grid = new PrismGrid(statics, roads.minX, roads.minY, roads.maxX, roads.maxY);
  return { seed, roads, statics, grid, lighting: pickLighting(root.fork(3)) };
}

function pickLighting(rng: Prng): Lighting {
  // CamVid's footage is mostly bright overcast: a near-white sky over a darker street.
  const overcast = rng.chance(0.7);
  const az = rng.range(0, 2 * Math.PI);
  const el = rng.range(0.35, 0.9);
  const sun: [number, number, number] = [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
  return overcast
    ? { sun, ambient: 0.66, diffuse: 0.26, skyHorizon: [234, 238, 240], skyZenith: [200, 210, 220], clouds: 0.6 }
    : { sun, ambient: 0.52, diffuse: 0.45, skyHorizon: [226, 233, 238], skyZenith: [150, 180, 214], clouds: 0.3 };
}

/** True when every sample point of the footprint lies off roads and sidewalks. */
function footprintClear(roads: RoadNetwork, x: number, y: number, c: number, s: number, hx: number, hy: number): boolean {
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const px = x + c * hx * i - s * hy * j;
      const py = y + s * hx * i + c * hy * j;
      if (roads.groundAt(px, py) !== Ground.verge) return false;
    }
  }
  return true;
}

function lineBuildings(roads: RoadNetwork, line: Polyline, side: number, rng: Prng, out: Prisms): void {
  const base = roads.halfWidth + roads.geometry.sidewalkWidth;
  const rowHeight = rng.range(7, 18);
  let s = rng.range(0, 4);
  while (s < line.length) {
    const width = rng.range(6, 18);
    if (rng.chance(0.14)) {
      // A gap: a fence along the sidewalk, sometimes a tree behind it.
      const gap = rng.range(4, 10);
      const mid = line.poseAt(s + gap / 2);
      const nx = -Math.sin(mid.yaw) * side;
      const ny = Math.cos(mid.yaw) * side;
      const off = base + 0.3;
      const fx = mid.x + nx * off;
      const fy = mid.y + ny * off;
      const c = Math.cos(mid.yaw);
      const sn = Math.sin(mid.yaw);
      if (footprintClear(roads, fx, fy, c, sn, gap / 2, 0.06)) {
        out.add({
          shape: Shape.box, label: Label.fence, style: Style.fence, x: fx, y: fy, yaw: mid.yaw,
          hx: gap / 2, hy: 0.06, zMin: 0, zMax: rng.range(1.0, 1.8), color: rng.chance(0.5) ? [110, 85, 60] : [70, 74, 72],
          variant: rng.next(),
        });
      }
      if (rng.chance(0.5)) addTree(out, rng, mid.x + nx * (off + 3), mid.y + ny * (off + 3), roads, 1.2);
      s += gap;
      continue;
    }
    const depth = rng.range(8, 16);
    const setback = rng.chance(0.7) ? rng.range(0.2, 0.8) : rng.range(1, 3);
    const mid = line.poseAt(s + width / 2);
    const c = Math.cos(mid.yaw);
    const sn = Math.sin(mid.yaw);
    const off = base + setback + depth / 2;
    const x = mid.x - sn * side * off;
    const y = mid.y + c * side * off;
    if (footprintClear(roads, x, y, c, sn, width / 2, depth / 2)) {
      out.add({
        shape: Shape.box, label: Label.building, style: Style.facade, x, y, yaw: mid.yaw,
        hx: width / 2, hy: depth / 2, zMin: 0, zMax: Math.max(4, rowHeight + rng.range(-3, 5)),
        color: rng.pick(FACADE_COLORS), variant: rng.next(),
      });
    }
    s += width + (rng.chance(0.3) ? rng.range(0.5, 2) : 0);
  }
}

function addTree(out: Prisms, rng: Prng, x: number, y: number, roads: RoadNetwork, scale: number): void {
  if (roads.groundAt(x, y) === Ground.road) return;
  const trunkTop = rng.range(2.2, 3.2) * scale;
  out.add({ shape: Shape.cylinder, label: Label.tree, style: Style.trunk, x, y, radius: 0.15 * scale, zMin: 0, zMax: trunkTop, color: [80, 62, 45] });
  out.add({
    shape: Shape.cylinder, label: Label.tree, style: Style.canopy, x, y, radius: rng.range(1.3, 2.3) * scale,
    zMin: trunkTop - 0.4, zMax: trunkTop + rng.range(2.5, 4.5) * scale,
    color: rng.chance(0.55) ? [108, 102, 92] : [82, 98, 66], variant: rng.next(), occupies: false,
  });
}

function lineStreetFurniture(roads: RoadNetwork, line: Polyline, side: number, rng: Prng, out: Prisms): void {
  const clear = roads.junctionClear;
  const curbOff = roads.halfWidth + 0.5;
  const leafy = rng.chance(0.5);
  let s = clear + rng.range(0, 10);
  while (s < line.length - clear) {
    const p = line.poseAt(s);
    const nx = -Math.sin(p.yaw) * side;
    const ny = Math.cos(p.yaw) * side;
    const px = p.x + nx * curbOff;
    const py = p.y + ny * curbOff;
    if (roads.groundAt(px, py) === Ground.sidewalk) {
      const height = rng.range(4.5, 8);
      out.add({ shape: Shape.cylinder, label: Label.pole, style: Style.pole, x: px, y: py, radius: rng.range(0.07, 0.12), zMin: 0, zMax: height, color: [120, 122, 118] });
      if (rng.chance(0.35)) {
        // A sign plate facing the traffic of this side.
        out.add({
          shape: Shape.box, label: Label.signSymbol, style: Style.sign, x: px, y: py, yaw: p.yaw, hx: 0.03, hy: 0.32,
          zMin: 2.1, zMax: 2.75, color: rng.pick([[30, 70, 160], [200, 40, 40], [230, 230, 230]] as [number, number, number][]), occupies: false,
        });
      }
    }
    s += rng.range(22, 40);
  }
  if (!leafy) return;
  s = clear + rng.range(4, 12);
  const treeOff = roads.halfWidth + roads.geometry.sidewalkWidth * 0.65;
  while (s < line.length - clear) {
    const p = line.poseAt(s);
    addTree(out, rng, p.x - Math.sin(p.yaw) * side * treeOff, p.y + Math.cos(p.yaw) * side * treeOff, roads, rng.range(0.8, 1.1));
    s += rng.range(12, 25);
  }
}

/** Adds a car (body + cabin prisms) centred at (x, y) heading yaw; returns the body's index. */
export function addCar(out: Prisms, rng: Prng, x: number, y: number, yaw: number): number {
  const length = rng.range(4.0, 4.8);
  const width = rng.range(1.7, 1.9);
  const color = rng.pick(CAR_COLORS);
  const variant = rng.next();
  const body = out.add({ shape: Shape.box, label: Label.car, style: Style.car, x, y, yaw, hx: length / 2, hy: width / 2, zMin: 0, zMax: rng.range(0.9, 1.05), color, variant });
  out.add({
    shape: Shape.box, label: Label.car, style: Style.car, x, y, yaw, hx: length * 0.28, hy: width / 2 - 0.08,
    zMin: out.zMax[body] - 0.01, zMax: rng.range(1.4, 1.6), color, variant: variant + 1, occupies: false,
  });
  return body;
}

function parkCars(roads: RoadNetwork, line: Polyline, side: number, rng: Prng, out: Prisms, share: number): void {
  const g = roads.geometry;
  const off = g.laneWidth + g.parkingWidth / 2;
  const clear = roads.junctionClear + 3;
  let s = clear + rng.range(0, 4);
  while (s < line.length - clear - 2.5) {
    if (rng.chance(share)) {
      const p = line.poseAt(s + 2.5);
      const yaw = p.yaw + (side > 0 ? Math.PI : 0) + rng.range(-0.04, 0.04);
      addCar(out, rng, p.x - Math.sin(p.yaw) * side * off, p.y + Math.cos(p.yaw) * side * off, yaw);
    }
    s += rng.range(5.5, 7.5);
  }
}
