/**
 * The binary wire format of the viewer's API: one JSON header plus the raw bytes of every typed
 * array in the value, so images, grids and point clouds travel without base64 or number lists.
 *
 * Layout: "GDB1" | u32 LE header length | header JSON (UTF-8) | zero padding to 8 bytes |
 * blobs, each starting at a multiple of 8 bytes (so the page can view a Float32Array in place).
 * In the header a typed array becomes {"$blob": type, "offset": n, "length": bytes} (offset from
 * the start of the blob area) and a bigint becomes {"$bigint": "decimal"}.
 */
export const BUNDLE_MAGIC = 'GDB1';
export const BUNDLE_CONTENT_TYPE = 'application/x-grokdrive-bundle';

const ALIGN = 8;

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** protobufjs Long-like objects (when a log was decoded without number longs). */
function isLong(v: object): v is { low: number; high: number; unsigned: boolean } {
  const o = v as Record<string, unknown>;
  return typeof o.low === 'number' && typeof o.high === 'number' && typeof o.unsigned === 'boolean';
}

export function encodeBundle(value: unknown): Buffer {
  const blobs: Uint8Array[] = [];
  let blobBytes = 0;

  const walk = (v: unknown): unknown => {
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? null : v;
    if (ArrayBuffer.isView(v)) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const offset = blobBytes;
      blobs.push(bytes);
      blobBytes = align(offset + bytes.byteLength);
      // Node's Buffer is a Uint8Array for the page.
      const type = v instanceof Uint8Array ? 'Uint8Array' : v.constructor.name;
      return { $blob: type, offset, length: bytes.byteLength };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isLong(v)) return (v.high >>> 0) * 2 ** 32 + (v.low >>> 0) - (!v.unsigned && v.high < 0 ? 2 ** 64 : 0);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
    return out;
  };

  const header = Buffer.from(JSON.stringify(walk(value)), 'utf8');
  const blobStart = align(8 + header.byteLength);
  const out = Buffer.alloc(blobStart + blobBytes);
  out.write(BUNDLE_MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.byteLength, 4);
  header.copy(out, 8);
  let offset = 0;
  for (const b of blobs) {
    out.set(b, blobStart + offset);
    offset = align(offset + b.byteLength);
  }
  return out;
}
