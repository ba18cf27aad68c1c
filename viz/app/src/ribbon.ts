/** Flat ribbons on the ground for paths: visible at any zoom, unlike 1-pixel WebGL lines. */
import * as THREE from 'three';

export interface RibbonPoint {
  x: number;
  y: number;
  z: number;
}

/**
 * Rebuilds `geometry` as a strip of quads of `width` metres along the points, with one colour
 * per point (rgb 0..1, 3 per point).
 */
export function buildRibbon(geometry: THREE.BufferGeometry, points: RibbonPoint[], colors: Float32Array, width: number): void {
  const n = points.length;
  if (n < 2) {
    geometry.setDrawRange(0, 0);
    return;
  }
  const positions = new Float32Array(n * 2 * 3);
  const vcolors = new Float32Array(n * 2 * 3);
  const index: number[] = [];
  const h = width / 2;
  for (let i = 0; i < n; i++) {
    const a = points[Math.max(0, i - 1)]!;
    const b = points[Math.min(n - 1, i + 1)]!;
    let dx = b.x - a.x;
    let dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    dx /= len;
    dy /= len;
    const p = points[i]!;
    positions.set([p.x - dy * h, p.y + dx * h, p.z, p.x + dy * h, p.y - dx * h, p.z], i * 6);
    const c = colors.subarray(i * 3, i * 3 + 3);
    vcolors.set(c, i * 6);
    vcolors.set(c, i * 6 + 3);
    if (i < n - 1) {
      const k = i * 2;
      index.push(k, k + 1, k + 2, k + 1, k + 3, k + 2);
    }
  }
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.setAttribute('color', new THREE.BufferAttribute(vcolors, 3));
  geometry.setIndex(index);
  geometry.setDrawRange(0, Infinity);
  geometry.computeBoundingSphere();
}
