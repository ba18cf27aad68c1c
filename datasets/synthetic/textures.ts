/**
 * Precomputed texture tables of a town, so the per-pixel shading reads arrays instead of
 * evaluating noise: a tiling smooth-noise tile and the sky panorama (colour by azimuth and
 * elevation, clouds included).
 */
import { hash2f } from './prng.js';
import type { Lighting } from './town.js';

/** Tile side in texels (power of two) and lattice period of the noise in texels. */
export const NOISE_SIZE = 256;
const NOISE_CELL = 16;

export const SKY_AZ_BINS = 2048;
export const SKY_RISE_BINS = 160;
/** Largest elevation slope (dz per horizontal metre) the panorama covers; steeper rays clamp. */
export const SKY_MAX_RISE = 1.0;

export interface TextureBank {
  /** Smooth noise in [0, 1), NOISE_SIZE^2, tiling; one lattice cell = 16 texels. */
  noise: Float32Array;
  /** Sky RGB per (rise bin, azimuth bin), row-major by rise. */
  sky: Float32Array;
}

export function buildTextures(seed: number, light: Lighting): TextureBank {
  const noise = new Float32Array(NOISE_SIZE * NOISE_SIZE);
  const period = NOISE_SIZE / NOISE_CELL;
  for (let y = 0; y < NOISE_SIZE; y++) {
    for (let x = 0; x < NOISE_SIZE; x++) {
      // Two octaves, both periodic over the tile.
      noise[y * NOISE_SIZE + x] = 0.7 * periodicNoise(x / NOISE_CELL, y / NOISE_CELL, period, seed) + 0.3 * periodicNoise((x * 4) / NOISE_CELL, (y * 4) / NOISE_CELL, period * 4, seed + 1);
    }
  }
  const sky = new Float32Array(SKY_AZ_BINS * SKY_RISE_BINS * 3);
  const skyPeriod = 24;
  for (let rb = 0; rb < SKY_RISE_BINS; rb++) {
    const rise = (rb / (SKY_RISE_BINS - 1)) * SKY_MAX_RISE;
    const e = Math.min(1, rise / 0.6);
    const k = e * (2 - e);
    const base = [0, 1, 2].map((c) => light.skyHorizon[c] + (light.skyZenith[c] - light.skyHorizon[c]) * k);
    for (let ab = 0; ab < SKY_AZ_BINS; ab++) {
      const az = (ab / SKY_AZ_BINS) * skyPeriod;
      // Clouds: noise periodic in azimuth, stretched horizontally like stratus.
      const c = 0.65 * periodicNoise(az, rise * 14, skyPeriod, seed + 2) + 0.35 * periodicNoise(az * 3, rise * 40, skyPeriod * 3, seed + 3);
      const cover = Math.max(0, c - (1 - light.clouds)) / Math.max(0.05, light.clouds);
      const w = Math.min(1, cover * 1.6) * (1 - 0.5 * e);
      const o = (rb * SKY_AZ_BINS + ab) * 3;
      sky[o] = base[0] + (226 - base[0]) * w;
      sky[o + 1] = base[1] + (228 - base[1]) * w;
      sky[o + 2] = base[2] + (231 - base[2]) * w;
    }
  }
  return { noise, sky };
}

/** Value noise whose lattice repeats every `period` cells along x and y. */
function periodicNoise(x: number, y: number, period: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  let fx = x - xi;
  let fy = y - yi;
  fx = fx * fx * (3 - 2 * fx);
  fy = fy * fy * (3 - 2 * fy);
  const x0 = ((xi % period) + period) % period;
  const y0 = ((yi % period) + period) % period;
  const x1 = (x0 + 1) % period;
  const y1 = (y0 + 1) % period;
  const a = hash2f(x0, y0, seed);
  const b = hash2f(x1, y0, seed);
  const c = hash2f(x0, y1, seed);
  const d = hash2f(x1, y1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}
