/**
 * A deterministic CPU renderer for the synthetic world. The camera must be level (optical axis
 * horizontal, no roll) and undistorted, which makes every image column a vertical plane of rays
 * with one azimuth: each column casts ONE 2D ray through the scenery grid and collects the prisms
 * it crosses, then each pixel of the column only tests that short, sorted list against its own
 * elevation (ground plane, side faces, tops and undersides). Exact for vertical prisms, and a
 * few tens of milliseconds per frame on one core.
 */
import type { CameraCalibration, Pose2 } from '../../types/index.js';
import { matrixFromQuat, normalizeQuat } from '../../sensors/pose.js';
import { groundColor, prismColor, rgbOut, skyColor } from './materials.js';
import { Ground } from './road-network.js';
import { Label, Shape, Style, type Prisms } from './prisms.js';
import type { Town } from './town.js';
import { buildTextures, type TextureBank } from './textures.js';

export interface RenderedFrame {
  width: number;
  height: number;
  /** RGB8, row-major. */
  rgb: Uint8Array;
  /** CamVid class id per pixel. */
  labels: Uint8Array;
  /** Horizontal distance (m) from the camera to what each pixel sees; Infinity for sky. */
  range: Float32Array;
}

const MAX_RANGE = 160;
const MAX_HITS = 512;
const FOG_DISTANCE = 260;

/** Texture tables per town, built on first render. */
const banks = new WeakMap<Town, TextureBank>();

function texturesOf(town: Town): TextureBank {
  let bank = banks.get(town);
  if (!bank) {
    bank = buildTextures(town.seed, town.lighting);
    banks.set(town, bank);
  }
  return bank;
}

const GROUND_LABEL = new Uint8Array([Label.road, Label.road, Label.pavement, Label.pavement, Label.void]);

export class SceneRenderer {
  readonly calib: CameraCalibration;
  readonly width: number;
  readonly height: number;
  /** Camera height above the ground (m) and its offset in the vehicle frame. */
  readonly cameraHeight: number;
  private readonly camX: number;
  private readonly camY: number;
  /** Per column: horizontal ray direction in the vehicle frame (unit) and 1/|unnormalised|. */
  private readonly colDirX: Float64Array;
  private readonly colDirY: Float64Array;
  private readonly colInvNorm: Float64Array;
  /** Per row: -(v - cy) / fy, the rise per unit of the unnormalised horizontal ray. */
  private readonly rowRise: Float64Array;

  // Per-column hit list (struct of arrays).
  private readonly hT0 = new Float64Array(MAX_HITS);
  private readonly hT1 = new Float64Array(MAX_HITS);
  private readonly hIdx = new Int32Array(MAX_HITS);
  private readonly hDyn = new Uint8Array(MAX_HITS);
  private readonly hA = new Float64Array(MAX_HITS);
  private readonly hNx = new Float64Array(MAX_HITS);
  private readonly hNy = new Float64Array(MAX_HITS);
  /** Face entered: +-1 = box local +-x face, +-2 = +-y face, 0 = cylinder. */
  private readonly hFace = new Int8Array(MAX_HITS);
  /** Cylinders: distance of closest approach to the axis and where along the ray it happens. */
  private readonly hPerp = new Float64Array(MAX_HITS);
  private readonly hTc = new Float64Array(MAX_HITS);
  private readonly order = new Int32Array(MAX_HITS);
  private hitCount = 0;
  private stamps = new Int32Array(0);
  private stamp = 0;

  constructor(calib: CameraCalibration) {
    const name = `camera '${calib.cameraId}'`;
    if (!(calib.width > 0 && calib.height > 0 && Number.isInteger(calib.width) && Number.isInteger(calib.height))) {
      throw new RangeError(`${name}: image size ${calib.width}x${calib.height} is not a positive integer size`);
    }
    if (calib.distortion.some((k) => k !== 0)) {
      throw new RangeError(`${name}: the synthetic renderer draws undistorted images; distortion must be all zero`);
    }
    const m = matrixFromQuat(normalizeQuat(calib.cameraToVehicle.orientation));
    // Column 1 of the camera->vehicle rotation is the camera's y (down) axis in the vehicle frame.
    const down = [m[1], m[4], m[7]];
    if (Math.abs(down[0]) > 1e-6 || Math.abs(down[1]) > 1e-6 || down[2] > -1 + 1e-9) {
      throw new RangeError(`${name}: the synthetic renderer needs a level camera (no pitch or roll); its y axis points (${down.map((d) => d.toFixed(4)).join(', ')}) in the vehicle frame`);
    }
    this.calib = calib;
    this.width = calib.width;
    this.height = calib.height;
    this.cameraHeight = calib.cameraToVehicle.position.z;
    if (!(this.cameraHeight > 0.2)) throw new RangeError(`${name}: camera height ${this.cameraHeight} m is below 0.2 m`);
    this.camX = calib.cameraToVehicle.position.x;
    this.camY = calib.cameraToVehicle.position.y;
    const right = [m[0], m[3]];
    const fwd = [m[2], m[5]];
    this.colDirX = new Float64Array(this.width);
    this.colDirY = new Float64Array(this.width);
    this.colInvNorm = new Float64Array(this.width);
    for (let u = 0; u < this.width; u++) {
      const a = (u - calib.cx) / calib.fx;
      const dx = fwd[0] + a * right[0];
      const dy = fwd[1] + a * right[1];
      const n = Math.hypot(dx, dy);
      this.colDirX[u] = dx / n;
      this.colDirY[u] = dy / n;
      this.colInvNorm[u] = 1 / n;
    }
    this.rowRise = new Float64Array(this.height);
    for (let v = 0; v < this.height; v++) this.rowRise[v] = -(v - calib.cy) / calib.fy;
  }

  /** A fresh output frame of this camera's size. */
  allocate(): RenderedFrame {
    const n = this.width * this.height;
    return { width: this.width, height: this.height, rgb: new Uint8Array(n * 3), labels: new Uint8Array(n), range: new Float32Array(n) };
  }

  /**
   * Render the town plus moving prisms as seen from the vehicle at `ego` (world frame, on the
   * ground). `noiseSeed` varies the sensor noise per frame (deterministically).
   */
  render(town: Town, movers: Prisms, ego: Pose2, noiseSeed = 0, out: RenderedFrame = this.allocate()): RenderedFrame {
    if (!Number.isFinite(ego.x) || !Number.isFinite(ego.y) || !Number.isFinite(ego.yaw)) {
      throw new RangeError(`render: ego pose (${ego.x}, ${ego.y}, ${ego.yaw}) is not finite`);
    }
    const W = this.width;
    const H = this.height;
    const statics = town.statics;
    if (this.stamps.length < statics.count) this.stamps = new Int32Array(statics.count);
    const c = Math.cos(ego.yaw);
    const s = Math.sin(ego.yaw);
    const ox = ego.x + c * this.camX - s * this.camY;
    const oy = ego.y + s * this.camX + c * this.camY;
    const camH = this.cameraHeight;
    const light = town.lighting;
    const sun = light.sun;
    const topLight = light.ambient + light.diffuse * Math.max(0, sun[2]);
    const underLight = light.ambient * 0.6;
    const [hr, hg, hb] = light.skyHorizon;
    const roads = town.roads;
    const seed = town.seed;
    const bank = texturesOf(town);
    const { rgb, labels, range } = out;
    let noise = (Math.imul(noiseSeed + 1, 0x9e3779b1) ^ seed) >>> 0;

    for (let u = 0; u < W; u++) {
      const vdx = this.colDirX[u];
      const vdy = this.colDirY[u];
      const dx = c * vdx - s * vdy;
      const dy = s * vdx + c * vdy;
      const invN = this.colInvNorm[u];
      const az = Math.atan2(dy, dx);
      const riseTop = this.rowRise[0] * invN;
      this.collect(town, movers, ox, oy, dx, dy, camH, riseTop);
      const n = this.hitCount;

      for (let v = 0; v < H; v++) {
        const rise = this.rowRise[v] * invN;
        const tg = rise < 0 ? -camH / rise : Infinity;
        let label: number = Label.sky;
        let t = Infinity;
        let r = 0;
        let g = 0;
        let b = 0;
        let done = false;
        for (let k = 0; k < n; k++) {
          const h = this.order[k];
          const t0 = this.hT0[h];
          if (t0 >= tg) break;
          const set = this.hDyn[h] ? movers : statics;
          const i = this.hIdx[h];
          const zMin = set.zMin[i];
          const zMax = set.zMax[i];
          const z0 = camH + rise * t0;
          let hitT = -1;
          let top = false;
          if (set.style[i] === Style.canopy) {
            // Foliage: an ellipsoid with a ragged, noisy edge inside the cylinder; rays that miss it see through.
            const zc = camH + rise * this.hTc[h];
            const zMid = 0.5 * (zMin + zMax);
            const hz = 0.5 * (zMax - zMin);
            const dr = this.hPerp[h] / set.radius[i];
            const dz = (zc - zMid) / hz;
            const e = dr * dr + dz * dz;
            if (e > 0.62 + 0.5 * bank.noise[((((zc * 24) | 0) & 255) << 8) | (((this.hA[h] * 24 + i * 37) | 0) & 255)]) continue;
            label = set.label[i];
            t = t0;
            prismColor(bank, set, i, this.hA[h], zc, false, 0);
            const lit = light.ambient + light.diffuse * (0.3 + 0.4 * (1 - dr));
            r = rgbOut[0] * lit;
            g = rgbOut[1] * lit;
            b = rgbOut[2] * lit;
            done = true;
            break;
          }
          if (z0 >= zMin && z0 <= zMax) hitT = t0;
          else if (z0 > zMax && rise < 0) {
            const tt = (zMax - camH) / rise;
            if (tt <= this.hT1[h]) {
              hitT = tt;
              top = true;
            }
          } else if (z0 < zMin && rise > 0) {
            const tt = (zMin - camH) / rise;
            if (tt <= this.hT1[h]) {
              hitT = tt;
              top = true;
            }
          }
          if (hitT < 0) continue;
          label = set.label[i];
          t = hitT;
          let lit: number;
          if (top) {
            prismColor(bank, set, i, 0, zMax, true, 0);
            lit = rise < 0 ? topLight : underLight;
          } else {
            prismColor(bank, set, i, this.hA[h], z0, false, this.hFace[h]);
            const nl = this.hNx[h] * sun[0] + this.hNy[h] * sun[1];
            lit = light.ambient + light.diffuse * (nl > 0 ? nl : 0);
          }
          r = rgbOut[0] * lit;
          g = rgbOut[1] * lit;
          b = rgbOut[2] * lit;
          done = true;
          break;
        }
        if (!done) {
          if (rise < 0) {
            t = tg;
            const gx = ox + dx * tg;
            const gy = oy + dy * tg;
            const kind = tg < 4 * MAX_RANGE ? roads.groundAt(gx, gy) : Ground.verge;
            label = GROUND_LABEL[kind];
            groundColor(bank, kind, gx, gy, tg, seed);
            r = rgbOut[0] * topLight;
            g = rgbOut[1] * topLight;
            b = rgbOut[2] * topLight;
          } else {
            skyColor(bank, rise, az);
            r = rgbOut[0];
            g = rgbOut[1];
            b = rgbOut[2];
          }
        }
        if (t !== Infinity) {
          // Aerial perspective: distant things fade toward the horizon colour.
          const x = t / FOG_DISTANCE;
          const f = 1 / (1 + x + 0.5 * x * x);
          r = r * f + hr * (1 - f);
          g = g * f + hg * (1 - f);
          b = b * f + hb * (1 - f);
        }
        // Sensor noise (xorshift, deterministic per frame).
        noise ^= noise << 13;
        noise ^= noise >>> 17;
        noise ^= noise << 5;
        const e = ((noise >>> 0) / 4294967296 - 0.5) * 7;
        const p = v * W + u;
        labels[p] = label;
        range[p] = t;
        const q = p * 3;
        rgb[q] = clamp255(r + e);
        rgb[q + 1] = clamp255(g + e);
        rgb[q + 2] = clamp255(b + e);
      }
    }
    return out;
  }

  /** Gather and sort the prisms crossed by the column's 2D ray. */
  private collect(town: Town, movers: Prisms, ox: number, oy: number, dx: number, dy: number, camH: number, riseTop: number): void {
    this.hitCount = 0;
    if (++this.stamp > 0x3fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const grid = town.grid;
    const statics = town.statics;
    // Nearest distance at which a prism rising from the ground covers the whole column above the ground.
    let occluder = MAX_RANGE;

    // Amanatides-Woo walk through the grid cells along the ray.
    const cell = grid.cell;
    let cx = Math.floor((ox - grid.minX) / cell);
    let cy = Math.floor((oy - grid.minY) / cell);
    const stepX = dx > 0 ? 1 : -1;
    const stepY = dy > 0 ? 1 : -1;
    const tDeltaX = dx !== 0 ? Math.abs(cell / dx) : Infinity;
    const tDeltaY = dy !== 0 ? Math.abs(cell / dy) : Infinity;
    let tMaxX = dx !== 0 ? ((grid.minX + (cx + (dx > 0 ? 1 : 0)) * cell - ox) / dx) : Infinity;
    let tMaxY = dy !== 0 ? ((grid.minY + (cy + (dy > 0 ? 1 : 0)) * cell - oy) / dy) : Infinity;
    let tEnter = 0;
    while (tEnter < occluder) {
      if (cx >= 0 && cy >= 0 && cx < grid.cols && cy < grid.rows) {
        const id = cy * grid.cols + cx;
        for (let k = grid.cellStart[id]; k < grid.cellStart[id + 1]; k++) {
          const i = grid.cellItems[k];
          if (this.stamps[i] === stamp) continue;
          this.stamps[i] = stamp;
          if (this.intersect(statics, i, ox, oy, dx, dy, 0)) {
            const t0 = this.hT0[this.hitCount - 1];
            if (statics.zMin[i] <= 0 && camH + riseTop * t0 <= statics.zMax[i] && t0 < occluder) occluder = t0;
          }
        }
      } else if ((cx < 0 && stepX < 0) || (cy < 0 && stepY < 0) || (cx >= grid.cols && stepX > 0) || (cy >= grid.rows && stepY > 0)) {
        break; // left the grid for good
      }
      if (tMaxX < tMaxY) {
        tEnter = tMaxX;
        tMaxX += tDeltaX;
        cx += stepX;
      } else {
        tEnter = tMaxY;
        tMaxY += tDeltaY;
        cy += stepY;
      }
      if (tEnter > MAX_RANGE) break;
    }
    for (let i = 0; i < movers.count; i++) this.intersect(movers, i, ox, oy, dx, dy, 1);

    // Insertion sort of the hit order by entry distance (lists are short).
    const n = this.hitCount;
    const order = this.order;
    const t0s = this.hT0;
    for (let k = 0; k < n; k++) {
      let j = k;
      const t = t0s[k];
      while (j > 0 && t0s[order[j - 1]] > t) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = k;
    }
  }

  /** 2D ray/footprint test; on a hit appends to the hit list and returns true. */
  private intersect(p: Prisms, i: number, ox: number, oy: number, dx: number, dy: number, dyn: number): boolean {
    if (this.hitCount >= MAX_HITS) return false;
    const px = ox - p.x[i];
    const py = oy - p.y[i];
    let tin: number;
    let tout: number;
    let nx: number;
    let ny: number;
    let a: number;
    let face = 0;
    let perp = 0;
    let tc = 0;
    if (p.shape[i] === Shape.cylinder) {
      const r = p.radius[i];
      const bq = px * dx + py * dy;
      const cq = px * px + py * py - r * r;
      const disc = bq * bq - cq;
      if (disc < 0) return false;
      const sq = Math.sqrt(disc);
      tc = -bq;
      perp = Math.sqrt(Math.max(0, px * px + py * py - bq * bq));
      tin = -bq - sq;
      tout = -bq + sq;
      if (tout <= 0) return false;
      if (tin < 0.05) tin = 0.05;
      nx = (px + dx * tin) / r;
      ny = (py + dy * tin) / r;
      a = Math.atan2(ny, nx) * r;
    } else {
      const cs = p.cos[i];
      const sn = p.sin[i];
      const lx = px * cs + py * sn;
      const ly = -px * sn + py * cs;
      const ldx = dx * cs + dy * sn;
      const ldy = -dx * sn + dy * cs;
      const hx = p.hx[i];
      const hy = p.hy[i];
      let txn: number;
      let txf: number;
      let tyn: number;
      let tyf: number;
      if (Math.abs(ldx) < 1e-12) {
        if (Math.abs(lx) > hx) return false;
        txn = -Infinity;
        txf = Infinity;
      } else {
        const t1 = (-hx - lx) / ldx;
        const t2 = (hx - lx) / ldx;
        txn = t1 < t2 ? t1 : t2;
        txf = t1 < t2 ? t2 : t1;
      }
      if (Math.abs(ldy) < 1e-12) {
        if (Math.abs(ly) > hy) return false;
        tyn = -Infinity;
        tyf = Infinity;
      } else {
        const t1 = (-hy - ly) / ldy;
        const t2 = (hy - ly) / ldy;
        tyn = t1 < t2 ? t1 : t2;
        tyf = t1 < t2 ? t2 : t1;
      }
      tin = txn > tyn ? txn : tyn;
      tout = txf < tyf ? txf : tyf;
      if (tin > tout || tout <= 0) return false;
      if (tin < 0.05) tin = 0.05;
      let lnx = 0;
      let lny = 0;
      if (txn > tyn) {
        lnx = ldx > 0 ? -1 : 1;
        a = ly + tin * ldy;
        face = lnx;
      } else {
        lny = ldy > 0 ? -1 : 1;
        a = lx + tin * ldx;
        face = 2 * lny;
      }
      nx = lnx * cs - lny * sn;
      ny = lnx * sn + lny * cs;
    }
    const h = this.hitCount++;
    this.hT0[h] = tin;
    this.hT1[h] = tout;
    this.hIdx[h] = i;
    this.hDyn[h] = dyn;
    this.hA[h] = a;
    this.hNx[h] = nx;
    this.hNy[h] = ny;
    this.hFace[h] = face;
    this.hPerp[h] = perp;
    this.hTc[h] = tc;
    return true;
  }
}

function clamp255(x: number): number {
  return x <= 0 ? 0 : x >= 255 ? 255 : Math.round(x);
}
