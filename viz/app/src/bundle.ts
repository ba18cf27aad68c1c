/**
 * Decoder of the server's bundle format (viz/server/bundle.ts): a JSON header whose
 * {"$blob"} entries point into the binary area that follows it, and {"$bigint"} entries for
 * nanosecond times. Typed arrays are views into the response buffer, not copies.
 */
const MAGIC = 'GDB1';

type TypedArrayCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

const ctors: Record<string, TypedArrayCtor> = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  Uint8ClampedArray,
};

export function decodeBundle<T = unknown>(buffer: ArrayBuffer): T {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== MAGIC) throw new Error(`not a grokdrive bundle (magic '${magic}')`);
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
  const blobStart = Math.ceil((8 + headerLength) / 8) * 8;

  const revive = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(revive);
    const o = v as Record<string, unknown>;
    if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
    if (typeof o.$blob === 'string') {
      const ctor = ctors[o.$blob] ?? Uint8Array;
      const bytesPerElement = (ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      return new ctor(buffer, blobStart + (o.offset as number), (o.length as number) / bytesPerElement);
    }
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
    return o;
  };
  return revive(header) as T;
}
