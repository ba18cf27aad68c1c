/** Colourised class maps and side-by-side PNGs (image | prediction | label) for a person to look at. */
import sharp from 'sharp';

/** Packed RGB of a class map; ids without a colour (e.g. void) are drawn black. */
export function colouriseClasses(classes: Uint8Array, colors: ReadonlyArray<readonly [number, number, number]>): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  colors.forEach((c, i) => lut.set(c, i * 3));
  const out = new Uint8Array(classes.length * 3);
  for (let i = 0, o = 0; i < classes.length; i++, o += 3) {
    const k = classes[i] * 3;
    out[o] = lut[k];
    out[o + 1] = lut[k + 1];
    out[o + 2] = lut[k + 2];
  }
  return out;
}

/** Writes one PNG with the panels (each packed RGB of width x height) top to bottom. */
export async function writeStacked(path: string, panels: Uint8Array[], width: number, height: number): Promise<void> {
  const out = new Uint8Array(panels.length * width * height * 3);
  panels.forEach((p, k) => {
    if (p.length !== width * height * 3) throw new Error(`stacked ${path}: panel ${k} is not ${width}x${height} RGB`);
    out.set(p, k * width * height * 3);
  });
  await sharp(out, { raw: { width, height: panels.length * height, channels: 3 } }).png().toFile(path);
}

/** `over` (packed RGB) blended onto `base` with weight `alpha` where `where(i)` holds. */
export function blend(base: Uint8Array, over: Uint8Array | readonly [number, number, number], alpha: number, where: (i: number) => boolean = () => true): Uint8Array {
  const out = base.slice();
  const solid = over.length === 3;
  for (let i = 0, o = 0; o < out.length; i++, o += 3) {
    if (!where(i)) continue;
    for (let c = 0; c < 3; c++) out[o + c] = Math.round((1 - alpha) * base[o + c] + alpha * (solid ? over[c] : over[o + c]));
  }
  return out;
}

/** Writes one PNG with the panels (each packed RGB of width x height) left to right. */
export async function writeSideBySide(path: string, panels: Uint8Array[], width: number, height: number): Promise<void> {
  const total = panels.length * width;
  const out = new Uint8Array(total * height * 3);
  panels.forEach((p, k) => {
    if (p.length !== width * height * 3) throw new Error(`side-by-side ${path}: panel ${k} is not ${width}x${height} RGB`);
    for (let y = 0; y < height; y++) out.set(p.subarray(y * width * 3, (y + 1) * width * 3), (y * total + k * width) * 3);
  });
  await sharp(out, { raw: { width: total, height, channels: 3 } }).png().toFile(path);
}
