/**
 * Surface colours of the synthetic world: procedural textures for facades, cars, people, poles,
 * trees, fences, signs, the ground and the sky. Each function writes its result into `rgbOut`
 * (a 3-element scratch array) so the per-pixel loop allocates nothing.
 */
import { Ground } from './road-network.js';
import { Style, type Prisms } from './prisms.js';
import { hash16 } from './prng.js';
import { NOISE_SIZE, SKY_AZ_BINS, SKY_MAX_RISE, SKY_RISE_BINS, type TextureBank } from './textures.js';

export const rgbOut = new Float64Array(3);

const MASK = NOISE_SIZE - 1;
const H16 = 1 / 65536;

/** Smooth noise in [0, 1) at (x, y) scaled so one texel spans 1/scale metres (tiles, nearest texel). */
function noiseAt(bank: TextureBank, x: number, y: number, scale: number): number {
  return bank.noise[(((y * scale) | 0) & MASK) * NOISE_SIZE + (((x * scale) | 0) & MASK)];
}

function set(r: number, g: number, b: number): void {
  rgbOut[0] = r;
  rgbOut[1] = g;
  rgbOut[2] = b;
}

/**
 * Colour of prism i's surface at along-face coordinate a (m) and height z (m), before lighting.
 * `top` marks a horizontal face (roof / underside); `face` is the box face (+-1 local x, +-2
 * local y, 0 for cylinders).
 */
export function prismColor(bank: TextureBank, p: Prisms, i: number, a: number, z: number, top: boolean, face: number): void {
  const r = p.r[i];
  const g = p.g[i];
  const b = p.b[i];
  const v = p.variant[i];
  switch (p.style[i]) {
    case Style.facade: {
      if (top) return set(r * 0.6, g * 0.6, b * 0.6);
      const grain = 0.82 + 0.3 * H16 * hash16(Math.floor(a * 5), Math.floor(z * 8), i) + 0.12 * (noiseAt(bank, a, z, 12) - 0.5);
      if (z > p.zMax[i] - 0.35) return set(r * 1.15 * grain, g * 1.15 * grain, b * 1.12 * grain);
      const ws = 2.6 + v * 1.6;
      const fh = 3.0 + ((v * 7) % 1) * 0.6;
      const fa = a / ws - Math.floor(a / ws);
      const level = Math.floor(z / fh);
      const fz = z / fh - level;
      const col = Math.floor(a / ws);
      let inWindow = false;
      let frame = false;
      if (level === 0) {
        if (v > 0.45 && fa > 0.08 && fa < 0.92 && z > 0.55 && z < 2.6) inWindow = true;
        else if (v <= 0.45 && fa > 0.35 && fa < 0.65 && z < 2.2) return set(55, 40, 35); // door
      } else if (fa > 0.27 && fa < 0.73 && fz > 0.28 && fz < 0.8) {
        inWindow = true;
        frame = fa < 0.31 || fa > 0.69 || fz < 0.33 || fz > 0.75;
      }
      if (frame) return set(200, 198, 190);
      if (inWindow) {
        const glint = H16 * hash16(col, level, i);
        const k = 30 + 60 * glint * glint;
        return set(k * 0.9, k * 0.97, k * 1.08);
      }
      return set(r * grain, g * grain, b * grain);
    }
    case Style.car: {
      if (v >= 1) {
        // Cabin: tinted glass between body-coloured pillars, under the roof.
        if (top || z > p.zMax[i] - 0.07 || z < p.zMin[i] + 0.06) return set(r, g, b);
        const half = face === 1 || face === -1 ? p.hy[i] : p.hx[i];
        if (Math.abs(a) > half - 0.12 || (face !== 1 && face !== -1 && Math.abs(a) < 0.06)) return set(r * 0.9, g * 0.9, b * 0.9);
        const sheen = 1 + 0.6 * ((z - p.zMin[i]) / (p.zMax[i] - p.zMin[i]));
        return set(34 * sheen, 38 * sheen, 46 * sheen);
      }
      if (top) return set(r, g, b);
      if (z < 0.32) return set(24, 24, 26);
      if ((face === 1 || face === -1) && z > 0.55 && z < 0.75 && Math.abs(a) > p.hy[i] - 0.38 && Math.abs(a) < p.hy[i] - 0.08) {
        // Head lamps at the front (+x), tail lamps at the back.
        return face === 1 ? set(225, 225, 210) : set(170, 25, 25);
      }
      if ((face === 1 || face === -1) && z > 0.35 && z < 0.5 && Math.abs(a) < 0.3) return set(210, 210, 200); // number plate
      const shade = 0.85 + 0.25 * Math.min(1, (z - 0.32) / 0.6);
      return set(r * shade, g * shade, b * shade);
    }
    case Style.person: {
      const h = p.zMax[i];
      if (z > h * 0.87) return v > 0.5 ? set(60, 45, 35) : set(185, 148, 120);
      if (z > h * 0.5) return set(r, g, b);
      return v > 0.4 ? set(45, 55, 85) : set(40, 40, 44);
    }
    case Style.pole: {
      const k = 0.9 + 0.15 * H16 * hash16(Math.floor(z * 3), i, 7);
      return set(r * k, g * k, b * k);
    }
    case Style.trunk: {
      const k = 0.8 + 0.3 * H16 * hash16(Math.floor(a * 10), Math.floor(z * 6), i);
      return set(r * k, g * k, b * k);
    }
    case Style.canopy: {
      const n = noiseAt(bank, a + v * 50, z, 27);
      // Leaves and twigs: high-frequency speckle over the cluster noise, like CamVid's winter trees.
      const speck = H16 * hash16(Math.floor(a * 9), Math.floor(z * 9), i);
      const k = top ? 0.45 : 0.45 + 0.5 * n + 0.45 * speck;
      return set(r * k, g * k, b * k);
    }
    case Style.fence: {
      const slat = a / 0.16 - Math.floor(a / 0.16) < 0.72;
      const rail = Math.abs(z - p.zMax[i] * 0.8) < 0.05;
      const k = slat || rail ? 1 : 0.45;
      return set(r * k, g * k, b * k);
    }
    case Style.sign: {
      const edge = Math.abs(a) > 0.26 || z < p.zMin[i] + 0.05 || z > p.zMax[i] - 0.05;
      return edge ? set(230, 230, 230) : set(r, g, b);
    }
    default:
      return set(r, g, b);
  }
}

/** Ground colour at world (x, y) for the ground kind, seen from distance t (fine grain fades out far away). */
export function groundColor(bank: TextureBank, kind: number, x: number, y: number, t: number, seed: number): void {
  const fine = t < 25 ? 1 : 25 / t;
  switch (kind) {
    case Ground.road:
    case Ground.lanePaint: {
      const patch = 0.9 + 0.2 * noiseAt(bank, x, y, 4);
      const grain = (H16 * hash16(Math.floor(x * 22), Math.floor(y * 22), seed) - 0.5) * 12 * fine;
      if (kind === Ground.lanePaint) {
        const wear = 0.8 + 0.2 * noiseAt(bank, y, x, 48);
        return set(200 * wear + grain, 200 * wear + grain, 194 * wear + grain);
      }
      return set(92 * patch + grain, 95 * patch + grain, 101 * patch + grain);
    }
    case Ground.sidewalk: {
      const sx = x / 0.6;
      const sy = y / 0.6;
      const fx = sx - Math.floor(sx);
      const fy = sy - Math.floor(sy);
      const joint = (fx < 0.04 || fy < 0.04) && t < 20 ? 0.85 : 1;
      const slab = (0.93 + 0.1 * H16 * hash16(Math.floor(sx), Math.floor(sy), seed + 2)) * joint;
      const grain = (H16 * hash16(Math.floor(x * 20), Math.floor(y * 20), seed + 3) - 0.5) * 8 * fine;
      return set(84 * slab + grain, 83 * slab + grain, 84 * slab + grain);
    }
    case Ground.curb:
      return set(122, 121, 118);
    default: {
      const n = 0.7 + 0.5 * noiseAt(bank, x, y, 8);
      return set(82 * n, 90 * n, 58 * n);
    }
  }
}

/** Sky colour for a ray of elevation slope `rise` (dz per horizontal metre, >= 0) and azimuth `az` (rad), from the panorama. */
export function skyColor(bank: TextureBank, rise: number, az: number): void {
  let rb = Math.round((rise / SKY_MAX_RISE) * (SKY_RISE_BINS - 1));
  if (rb > SKY_RISE_BINS - 1) rb = SKY_RISE_BINS - 1;
  let ab = Math.floor((az / (2 * Math.PI)) * SKY_AZ_BINS) % SKY_AZ_BINS;
  if (ab < 0) ab += SKY_AZ_BINS;
  const o = (rb * SKY_AZ_BINS + ab) * 3;
  set(bank.sky[o], bank.sky[o + 1], bank.sky[o + 2]);
}
