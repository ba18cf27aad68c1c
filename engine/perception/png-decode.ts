/**
 * PNG decoding for what cameras write: 8-bit grey, grey + alpha, RGB or RGBA, not interlaced.
 * At camera-frame sizes most of sharp's decode is its fixed cost per call (2.4 ms of CPU for a
 * 397x120 KITTI frame); zlib's inflate and the row filters here take about 0.9 ms. Anything
 * else (palettes, 16 bits, interlacing, a colour profile, a damaged file) returns undefined
 * and goes to sharp, so what users read about a bad image stays sharp's message.
 */
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes per pixel by PNG colour type, for the types read here. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export interface PackedRgb {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** Packed 8-bit RGB of a PNG this reads, else undefined (alpha is dropped, grey repeated). */
export function decodePngFast(png: Uint8Array): PackedRgb | undefined {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > png.length) return undefined;
    const type = String.fromCharCode(png[at + 4], png[at + 5], png[at + 6], png[at + 7]);
    const data = png.subarray(at + 8, at + 8 + length);
    if (at === 8 && type !== 'IHDR') return undefined; // the header comes first
    if (type === 'IHDR' || type === 'IDAT') {
      // Critical chunks are checked as libpng checks them; ancillary ones are not read.
      if (crc32(png.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) return undefined;
    }
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colourType, compression, filter, interlace] = data.subarray(8, 13);
      channels = CHANNELS[colourType] ?? 0;
      if (depth !== 8 || !channels || compression !== 0 || filter !== 0 || interlace !== 0) return undefined;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if (type === 'iCCP' || !(png[at + 4] & 0x20)) {
      return undefined; // a colour profile to apply, or a critical chunk this does not know
    }
    at = end;
  }
  if (!ended || !channels || !(width > 0 && height > 0) || idat.length === 0) return undefined;
  const stride = width * channels;
  let rows: Uint8Array;
  try {
    rows = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  } catch {
    return undefined;
  }
  if (rows.length !== height * (stride + 1)) return undefined;
  if (!unfilter(rows, stride, channels, height)) return undefined;
  return { rgb: packRgb(rows, width, height, channels), width, height };
}

/** Undoes the row filters in place (each row: its filter byte, then `stride` bytes). */
function unfilter(rows: Uint8Array, stride: number, bpp: number, height: number): boolean {
  const line = stride + 1;
  for (let y = 0; y < height; y++) {
    const start = y * line + 1;
    const end = start + stride;
    switch (rows[start - 1]) {
      case 0:
        break;
      case 1:
        for (let i = start + bpp; i < end; i++) rows[i] = (rows[i] + rows[i - bpp]) & 255;
        break;
      case 2:
        if (y > 0) for (let i = start; i < end; i++) rows[i] = (rows[i] + rows[i - line]) & 255;
        break;
      case 3:
        if (y === 0) {
          for (let i = start + bpp; i < end; i++) rows[i] = (rows[i] + (rows[i - bpp] >> 1)) & 255;
        } else {
          for (let i = start; i < start + bpp; i++) rows[i] = (rows[i] + (rows[i - line] >> 1)) & 255;
          for (let i = start + bpp; i < end; i++) rows[i] = (rows[i] + ((rows[i - bpp] + rows[i - line]) >> 1)) & 255;
        }
        break;
      case 4:
        if (y === 0) {
          // Paeth with no row above picks the left neighbour.
          for (let i = start + bpp; i < end; i++) rows[i] = (rows[i] + rows[i - bpp]) & 255;
        } else {
          for (let i = start; i < start + bpp; i++) rows[i] = (rows[i] + rows[i - line]) & 255;
          for (let i = start + bpp; i < end; i++) {
            const a = rows[i - bpp], b = rows[i - line], c = rows[i - line - bpp];
            const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - c - c);
            rows[i] = (rows[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
          }
        }
        break;
      default:
        return false;
    }
  }
  return true;
}

function packRgb(rows: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const line = width * channels + 1;
  for (let y = 0, o = 0; y < height; y++) {
    const start = y * line + 1;
    if (channels === 3) {
      rgb.set(rows.subarray(start, start + width * 3), o);
      o += width * 3;
      continue;
    }
    for (let x = 0, i = start; x < width; x++, i += channels, o += 3) {
      if (channels <= 2) rgb[o] = rgb[o + 1] = rgb[o + 2] = rows[i];
      else {
        rgb[o] = rows[i];
        rgb[o + 1] = rows[i + 1];
        rgb[o + 2] = rows[i + 2];
      }
    }
  }
  return rgb;
}
