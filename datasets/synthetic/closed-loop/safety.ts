/**
 * What the ego car touches and how close it gets: collisions with the prisms that stand on the
 * ground (buildings, fences, poles, trunks, cars, people), the minimum clearance to them, and
 * whether the body leaves the road surface.
 */
import { Ground } from '../road-network.js';
import { Label, Shape, type Prisms } from '../prisms.js';
import type { Town } from '../town.js';

export type ObstacleKind = 'vehicle' | 'pedestrian' | 'static';

export interface Contact {
  kind: ObstacleKind;
  /** Whether the other party is a traffic participant (an actor that may move) or scenery. */
  actor: boolean;
  label: number;
  distance: number;
}

type Corners = [number, number][];

/** Distance between two convex quads given as corner lists (0 when they overlap). */
function quadDistance(a: Corners, b: Corners): number {
  if (!separated(a, b) && !separated(b, a)) return 0;
  let best = Infinity;
  for (const p of a) best = Math.min(best, pointToPolygon(p, b));
  for (const p of b) best = Math.min(best, pointToPolygon(p, a));
  return best;
}

/** Separating-axis test with the edge normals of `a`. */
function separated(a: Corners, b: Corners): boolean {
  for (let i = 0; i < a.length; i++) {
    const [x0, y0] = a[i];
    const [x1, y1] = a[(i + 1) % a.length];
    const nx = y1 - y0;
    const ny = x0 - x1;
    let minA = Infinity;
    let maxA = -Infinity;
    for (const [x, y] of a) {
      const d = x * nx + y * ny;
      minA = Math.min(minA, d);
      maxA = Math.max(maxA, d);
    }
    let minB = Infinity;
    let maxB = -Infinity;
    for (const [x, y] of b) {
      const d = x * nx + y * ny;
      minB = Math.min(minB, d);
      maxB = Math.max(maxB, d);
    }
    if (maxB < minA || minB > maxA) return true;
  }
  return false;
}

function pointToPolygon(p: [number, number], poly: Corners): number {
  let best = Infinity;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i];
    const [x1, y1] = poly[(i + 1) % poly.length];
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((p[0] - x0) * dx + (p[1] - y0) * dy) / len2 : 0;
    t = Math.max(0, Math.min(1, t));
    best = Math.min(best, Math.hypot(x0 + dx * t - p[0], y0 + dy * t - p[1]));
  }
  return best;
}

function prismCorners(p: Prisms, i: number): Corners {
  const c = p.cos[i];
  const s = p.sin[i];
  const hx = p.hx[i];
  const hy = p.hy[i];
  return [
    [-hx, -hy],
    [hx, -hy],
    [hx, hy],
    [-hx, hy],
  ].map(([x, y]) => [p.x[i] + c * x - s * y, p.y[i] + s * x + c * y]) as Corners;
}

function distanceTo(body: Corners, p: Prisms, i: number): number {
  if (p.shape[i] === Shape.cylinder) {
    const inside = !separatedPoint(body, p.x[i], p.y[i]);
    if (inside) return 0;
    return Math.max(0, pointToPolygon([p.x[i], p.y[i]], body) - p.radius[i]);
  }
  return quadDistance(body, prismCorners(p, i));
}

/** Whether the point lies outside the convex polygon (counter-clockwise corners). */
function separatedPoint(poly: Corners, x: number, y: number): boolean {
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i];
    const [x1, y1] = poly[(i + 1) % poly.length];
    if ((x1 - x0) * (y - y0) - (y1 - y0) * (x - x0) < 0) return true;
  }
  return false;
}

function kindOf(label: number): ObstacleKind {
  if (label === Label.car) return 'vehicle';
  if (label === Label.pedestrian) return 'pedestrian';
  return 'static';
}

/** The nearest standing thing within `radius` metres of the body, or undefined. */
export function nearestObstacle(town: Town, movers: Prisms, body: Corners, radius = 8): Contact | undefined {
  let xMin = Infinity;
  let yMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;
  for (const [x, y] of body) {
    xMin = Math.min(xMin, x);
    yMin = Math.min(yMin, y);
    xMax = Math.max(xMax, x);
    yMax = Math.max(yMax, y);
  }
  let best: Contact | undefined;
  const consider = (p: Prisms, i: number, actor: boolean): void => {
    if (!p.occupies[i]) return;
    const r = p.radius[i];
    if (p.x[i] + r < xMin - radius || p.x[i] - r > xMax + radius || p.y[i] + r < yMin - radius || p.y[i] - r > yMax + radius) return;
    const d = distanceTo(body, p, i);
    if (!best || d < best.distance) best = { kind: kindOf(p.label[i]), actor, label: p.label[i], distance: d };
  };
  town.grid.query(xMin - radius, yMin - radius, xMax + radius, yMax + radius, (i) => consider(town.statics, i, false));
  for (let i = 0; i < movers.count; i++) consider(movers, i, true);
  return best;
}

/** Whether any corner or edge midpoint of the body is off the road surface. */
export function offRoad(town: Town, body: Corners): boolean {
  for (let i = 0; i < body.length; i++) {
    const [x0, y0] = body[i];
    const [x1, y1] = body[(i + 1) % body.length];
    for (const [x, y] of [
      [x0, y0],
      [(x0 + x1) / 2, (y0 + y1) / 2],
    ]) {
      const g = town.roads.groundAt(x, y);
      if (g !== Ground.road && g !== Ground.lanePaint) return true;
    }
  }
  return false;
}
