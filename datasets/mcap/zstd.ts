/** zstd chunk compression for McapWriter, and zstd decompression for the readers (decompress.ts). */
import * as zstd from '@foxglove/wasm-zstd';

/**
 * Default level. A writer's level is fixed for the file, so output depends on nothing but the
 * input (deterministic files). Result logs use 1 (RESULT_LOG_ZSTD_LEVEL): about twice as fast
 * to write, a few per cent larger.
 */
export const ZSTD_LEVEL = 3;
export const RESULT_LOG_ZSTD_LEVEL = 1;

let ready: Promise<void> | undefined;

/** Resolves once the zstd WebAssembly module is loaded; call before compress/decompress. */
export function zstdReady(): Promise<void> {
  return (ready ??= zstd.isLoaded.then(() => undefined));
}

/** Probe size and count for guessing whether a chunk is worth compressing. */
const PROBE_BYTES = 64 * 1024;
const PROBES = 4;

/**
 * True when samples spread over the chunk do not shrink by 2 %: chunks of PNG/JPEG bytes.
 * Trying zstd on a whole such chunk costs as much as the rest of the import; the samples cost
 * a few per cent of that. The decision depends only on the bytes, so output stays deterministic.
 */
function looksIncompressible(data: Uint8Array, level: number): boolean {
  if (data.byteLength < PROBE_BYTES * PROBES * 2) return false;
  let out = 0;
  for (let k = 0; k < PROBES; k++) {
    const start = Math.floor(((data.byteLength - PROBE_BYTES) * (2 * k + 1)) / (2 * PROBES));
    out += zstd.compress(data.subarray(start, start + PROBE_BYTES), level).byteLength;
  }
  return out >= PROBE_BYTES * PROBES * 0.98;
}

/**
 * McapWriter's compressChunk. A chunk that zstd cannot shrink (already-compressed PNG/JPEG
 * bytes) is stored as is; MCAP records the compression per chunk, so readers handle both.
 */
export function compressChunk(chunkData: Uint8Array, level = ZSTD_LEVEL): { compression: string; compressedData: Uint8Array } {
  if (looksIncompressible(chunkData, level)) return { compression: '', compressedData: chunkData };
  const compressed = zstd.compress(chunkData, level);
  if (compressed.byteLength >= chunkData.byteLength) return { compression: '', compressedData: chunkData };
  return { compression: 'zstd', compressedData: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength) };
}

/** One zstd chunk's records, decompressed (decompress.ts is what the readers use). */
export function decompressZstd(buffer: Uint8Array, decompressedSize: bigint): Uint8Array {
  const out = zstd.decompress(buffer, Number(decompressedSize));
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
