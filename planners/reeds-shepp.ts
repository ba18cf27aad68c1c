/**
 * Reeds-Shepp shortest paths for a car that drives forward and backward with a minimum turning
 * radius (Reeds & Shepp, "Optimal paths for a car that goes both forwards and backwards",
 * 1990). The families CSC, CCC, CCCC, CCSC and CCSCC are each solved in closed form for the
 * base word and mapped to the others by the timeflip / reflect / backwards symmetries.
 * Internally everything is in units of the turning radius.
 */
import type { Pose2 } from '../types/geometry.js';
import type { CurvePath, CurveSegment, SegmentKind } from './curve-path.js';

const PI = Math.PI;
const HALF_PI = PI / 2;
const TWO_PI = 2 * PI;
const EPS = 1e-10;

/** Wrap to [-pi, pi]. */
function mod2pi(a: number): number {
  let v = a % TWO_PI;
  if (v < -PI) v += TWO_PI;
  else if (v > PI) v -= TWO_PI;
  return v;
}

// Base-formula outputs (t, u, v); written by the solvers below, read right after.
let T = 0;
let U = 0;
let V = 0;

// 8.1: L+ S+ L+
function lpSpLp(x: number, y: number, phi: number): boolean {
  const a = x - Math.sin(phi);
  const b = y - 1 + Math.cos(phi);
  U = Math.hypot(a, b);
  T = Math.atan2(b, a);
  if (T < -EPS) return false;
  V = mod2pi(phi - T);
  return V >= -EPS;
}

// 8.2: L+ S+ R+
function lpSpRp(x: number, y: number, phi: number): boolean {
  const a = x + Math.sin(phi);
  const b = y - 1 - Math.cos(phi);
  const u1 = a * a + b * b;
  if (u1 < 4) return false;
  U = Math.sqrt(u1 - 4);
  T = mod2pi(Math.atan2(b, a) + Math.atan2(2, U));
  V = mod2pi(T - phi);
  return T >= -EPS && V >= -EPS;
}

// 8.3: L+ R- L(+/-)
function lpRmL(x: number, y: number, phi: number): boolean {
  const xi = x - Math.sin(phi);
  const eta = y - 1 + Math.cos(phi);
  const u1 = Math.hypot(xi, eta);
  if (u1 > 4) return false;
  const theta = Math.atan2(eta, xi);
  U = -2 * Math.asin(0.25 * u1);
  T = mod2pi(theta + 0.5 * U + PI);
  V = mod2pi(phi - T + U);
  return T >= -EPS && U <= EPS;
}

function tauOmega(u: number, v: number, xi: number, eta: number, phi: number): void {
  const delta = mod2pi(u - v);
  const a = Math.sin(u) - Math.sin(delta);
  const b = Math.cos(u) - Math.cos(delta) - 1;
  const t1 = Math.atan2(eta * a - xi * b, xi * a + eta * b);
  const t2 = 2 * (Math.cos(delta) - Math.cos(v) - Math.cos(u)) + 3;
  T = t2 < 0 ? mod2pi(t1 + PI) : mod2pi(t1);
  V = mod2pi(T - u + v - phi);
}

// 8.7: L+ R+ L- R-  (t, u, -u, v)
function lpRupLumRm(x: number, y: number, phi: number): boolean {
  const xi = x + Math.sin(phi);
  const eta = y - 1 - Math.cos(phi);
  const rho = 0.25 * (2 + Math.hypot(xi, eta));
  if (rho > 1) return false;
  U = Math.acos(rho);
  tauOmega(U, -U, xi, eta, phi);
  return T >= -EPS && V <= EPS;
}

// 8.8: L+ R- L- R+  (t, u, u, v)
function lpRumLumRp(x: number, y: number, phi: number): boolean {
  const xi = x + Math.sin(phi);
  const eta = y - 1 - Math.cos(phi);
  const rho = (20 - xi * xi - eta * eta) / 16;
  if (rho < 0 || rho > 1) return false;
  U = -Math.acos(rho);
  if (U < -HALF_PI) return false;
  tauOmega(U, U, xi, eta, phi);
  return T >= -EPS && V >= -EPS;
}

// 8.9: L+ R- S- L-  (t, -pi/2, u, v)
function lpRmSmLm(x: number, y: number, phi: number): boolean {
  const xi = x - Math.sin(phi);
  const eta = y - 1 + Math.cos(phi);
  const rho = Math.hypot(xi, eta);
  if (rho < 2) return false;
  const theta = Math.atan2(eta, xi);
  const r = Math.sqrt(rho * rho - 4);
  U = 2 - r;
  T = mod2pi(theta + Math.atan2(r, -2));
  V = mod2pi(phi - HALF_PI - T);
  return T >= -EPS && U <= EPS && V <= EPS;
}

// 8.10: L+ R- S- R-  (t, -pi/2, u, v)
function lpRmSmRm(x: number, y: number, phi: number): boolean {
  const xi = x + Math.sin(phi);
  const eta = y - 1 - Math.cos(phi);
  const rho = Math.hypot(-eta, xi);
  if (rho < 2) return false;
  T = Math.atan2(xi, -eta);
  U = 2 - rho;
  V = mod2pi(T + HALF_PI - phi);
  return T >= -EPS && U <= EPS && V <= EPS;
}

// 8.11: L+ R- S- L- R+  (t, -pi/2, u, -pi/2, v)
function lpRmSLmRp(x: number, y: number, phi: number): boolean {
  const xi = x + Math.sin(phi);
  const eta = y - 1 - Math.cos(phi);
  const rho = Math.hypot(xi, eta);
  if (rho < 2) return false;
  U = 4 - Math.sqrt(rho * rho - 4);
  if (U > EPS) return false;
  T = mod2pi(Math.atan2((4 - U) * xi - 2 * eta, -2 * xi + (U - 4) * eta));
  V = mod2pi(T - phi);
  return T >= -EPS && V >= -EPS;
}

/** Receives each candidate word: its letters and segment lengths (radius units, signed). */
type Visit = (word: string, a: number, b: number, c: number, d: number, e: number) => void;

/** Enumerates every Reeds-Shepp candidate from the origin to (x, y, phi) in radius units. */
function enumerate(x: number, y: number, phi: number, visit: Visit): void {
  // CSC
  if (lpSpLp(x, y, phi)) visit('LSL', T, U, V, 0, 0);
  if (lpSpLp(-x, y, -phi)) visit('LSL', -T, -U, -V, 0, 0);
  if (lpSpLp(x, -y, -phi)) visit('RSR', T, U, V, 0, 0);
  if (lpSpLp(-x, -y, phi)) visit('RSR', -T, -U, -V, 0, 0);
  if (lpSpRp(x, y, phi)) visit('LSR', T, U, V, 0, 0);
  if (lpSpRp(-x, y, -phi)) visit('LSR', -T, -U, -V, 0, 0);
  if (lpSpRp(x, -y, -phi)) visit('RSL', T, U, V, 0, 0);
  if (lpSpRp(-x, -y, phi)) visit('RSL', -T, -U, -V, 0, 0);
  // CCC, forwards and backwards
  if (lpRmL(x, y, phi)) visit('LRL', T, U, V, 0, 0);
  if (lpRmL(-x, y, -phi)) visit('LRL', -T, -U, -V, 0, 0);
  if (lpRmL(x, -y, -phi)) visit('RLR', T, U, V, 0, 0);
  if (lpRmL(-x, -y, phi)) visit('RLR', -T, -U, -V, 0, 0);
  const cp = Math.cos(phi);
  const sp = Math.sin(phi);
  const xb = x * cp + y * sp;
  const yb = x * sp - y * cp;
  if (lpRmL(xb, yb, phi)) visit('LRL', V, U, T, 0, 0);
  if (lpRmL(-xb, yb, -phi)) visit('LRL', -V, -U, -T, 0, 0);
  if (lpRmL(xb, -yb, -phi)) visit('RLR', V, U, T, 0, 0);
  if (lpRmL(-xb, -yb, phi)) visit('RLR', -V, -U, -T, 0, 0);
  // CCCC
  if (lpRupLumRm(x, y, phi)) visit('LRLR', T, U, -U, V, 0);
  if (lpRupLumRm(-x, y, -phi)) visit('LRLR', -T, -U, U, -V, 0);
  if (lpRupLumRm(x, -y, -phi)) visit('RLRL', T, U, -U, V, 0);
  if (lpRupLumRm(-x, -y, phi)) visit('RLRL', -T, -U, U, -V, 0);
  if (lpRumLumRp(x, y, phi)) visit('LRLR', T, U, U, V, 0);
  if (lpRumLumRp(-x, y, -phi)) visit('LRLR', -T, -U, -U, -V, 0);
  if (lpRumLumRp(x, -y, -phi)) visit('RLRL', T, U, U, V, 0);
  if (lpRumLumRp(-x, -y, phi)) visit('RLRL', -T, -U, -U, -V, 0);
  // CCSC, forwards and backwards
  if (lpRmSmLm(x, y, phi)) visit('LRSL', T, -HALF_PI, U, V, 0);
  if (lpRmSmLm(-x, y, -phi)) visit('LRSL', -T, HALF_PI, -U, -V, 0);
  if (lpRmSmLm(x, -y, -phi)) visit('RLSR', T, -HALF_PI, U, V, 0);
  if (lpRmSmLm(-x, -y, phi)) visit('RLSR', -T, HALF_PI, -U, -V, 0);
  if (lpRmSmRm(x, y, phi)) visit('LRSR', T, -HALF_PI, U, V, 0);
  if (lpRmSmRm(-x, y, -phi)) visit('LRSR', -T, HALF_PI, -U, -V, 0);
  if (lpRmSmRm(x, -y, -phi)) visit('RLSL', T, -HALF_PI, U, V, 0);
  if (lpRmSmRm(-x, -y, phi)) visit('RLSL', -T, HALF_PI, -U, -V, 0);
  if (lpRmSmLm(xb, yb, phi)) visit('LSRL', V, U, -HALF_PI, T, 0);
  if (lpRmSmLm(-xb, yb, -phi)) visit('LSRL', -V, -U, HALF_PI, -T, 0);
  if (lpRmSmLm(xb, -yb, -phi)) visit('RSLR', V, U, -HALF_PI, T, 0);
  if (lpRmSmLm(-xb, -yb, phi)) visit('RSLR', -V, -U, HALF_PI, -T, 0);
  if (lpRmSmRm(xb, yb, phi)) visit('RSRL', V, U, -HALF_PI, T, 0);
  if (lpRmSmRm(-xb, yb, -phi)) visit('RSRL', -V, -U, HALF_PI, -T, 0);
  if (lpRmSmRm(xb, -yb, -phi)) visit('LSLR', V, U, -HALF_PI, T, 0);
  if (lpRmSmRm(-xb, -yb, phi)) visit('LSLR', -V, -U, HALF_PI, -T, 0);
  // CCSCC
  if (lpRmSLmRp(x, y, phi)) visit('LRSLR', T, -HALF_PI, U, -HALF_PI, V);
  if (lpRmSLmRp(-x, y, -phi)) visit('LRSLR', -T, HALF_PI, -U, HALF_PI, -V);
  if (lpRmSLmRp(x, -y, -phi)) visit('RLSRL', T, -HALF_PI, U, -HALF_PI, V);
  if (lpRmSLmRp(-x, -y, phi)) visit('RLSRL', -T, HALF_PI, -U, HALF_PI, -V);
}

// Goal relative to start, in the start's frame, in radius units (module scratch: no allocation).
let RX = 0;
let RY = 0;
let RPHI = 0;
function relative(start: Pose2, goal: Pose2, radius: number): void {
  if (!(radius > 0)) throw new RangeError(`turning radius must be positive, got ${radius}`);
  const dx = goal.x - start.x;
  const dy = goal.y - start.y;
  const c = Math.cos(start.yaw);
  const s = Math.sin(start.yaw);
  RX = (c * dx + s * dy) / radius;
  RY = (-s * dx + c * dy) / radius;
  RPHI = goal.yaw - start.yaw;
}

let best = Infinity;
const visitLength: Visit = (_w, a, b, c, d, e) => {
  const len = Math.abs(a) + Math.abs(b) + Math.abs(c) + Math.abs(d) + Math.abs(e);
  if (len < best) best = len;
};

/** Length in metres of the shortest Reeds-Shepp path (no allocation: the heuristic's hot path). */
export function reedsSheppDistance(start: Pose2, goal: Pose2, radius: number): number {
  return reedsSheppDistanceXY(start.x, start.y, start.yaw, goal.x, goal.y, goal.yaw, radius);
}

/** reedsSheppDistance on plain numbers, for callers that keep poses in typed arrays. */
export function reedsSheppDistanceXY(sx: number, sy: number, syaw: number, gx: number, gy: number, gyaw: number, radius: number): number {
  if (!(radius > 0)) throw new RangeError(`turning radius must be positive, got ${radius}`);
  const dx = gx - sx;
  const dy = gy - sy;
  const c = Math.cos(syaw);
  const s = Math.sin(syaw);
  best = Infinity;
  enumerate((c * dx + s * dy) / radius, (-s * dx + c * dy) / radius, gyaw - syaw, visitLength);
  return best * radius;
}

/**
 * All candidates written into reusable buffers: `words[i]` and `lengths[5 i .. 5 i + 4]`
 * (metres, signed; unused trailing entries 0). Valid until the next call.
 */
export interface RsCandidates {
  count: number;
  words: string[];
  lengths: Float64Array;
}
const cands: RsCandidates = { count: 0, words: new Array<string>(64).fill(''), lengths: new Float64Array(64 * 5) };
let candRadius = 1;
const visitCollect: Visit = (word, a, b, c, d, e) => {
  const i = cands.count++;
  cands.words[i] = word;
  const l = cands.lengths;
  l[5 * i] = a * candRadius;
  l[5 * i + 1] = b * candRadius;
  l[5 * i + 2] = c * candRadius;
  l[5 * i + 3] = d * candRadius;
  l[5 * i + 4] = e * candRadius;
};

export function reedsSheppCandidates(start: Pose2, goal: Pose2, radius: number): RsCandidates {
  relative(start, goal, radius);
  cands.count = 0;
  candRadius = radius;
  enumerate(RX, RY, RPHI, visitCollect);
  return cands;
}

/** The CurvePath of candidate i (segments shorter than 1e-12 m dropped). */
export function candidatePath(c: RsCandidates, i: number, radius: number): CurvePath {
  const segments: CurveSegment[] = [];
  let length = 0;
  const word = c.words[i];
  for (let k = 0; k < word.length; k++) {
    const l = c.lengths[5 * i + k];
    if (Math.abs(l) < 1e-12) continue;
    segments.push({ kind: word[k] as SegmentKind, length: l });
    length += Math.abs(l);
  }
  return { segments, length, radius };
}

/** Every Reeds-Shepp candidate path from start to goal, shortest first. */
export function reedsSheppPaths(start: Pose2, goal: Pose2, radius: number): CurvePath[] {
  const c = reedsSheppCandidates(start, goal, radius);
  const out: CurvePath[] = [];
  for (let i = 0; i < c.count; i++) out.push(candidatePath(c, i, radius));
  out.sort((p, q) => p.length - q.length);
  return out;
}

/** The shortest Reeds-Shepp path from start to goal. */
export function reedsShepp(start: Pose2, goal: Pose2, radius: number): CurvePath {
  const all = reedsSheppPaths(start, goal, radius);
  // Some family always applies (CSC covers every configuration); guard anyway.
  if (all.length === 0) throw new Error('no Reeds-Shepp path found (numerical failure)');
  return all[0];
}
