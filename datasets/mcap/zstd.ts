/** zstd chunk compression for McapWriter and decompression handlers for the readers. */
import * as zstd from '@foxglove/wasm-zstd';
import type { DecompressHandlers } from '@mcap/core';

/** Fixed level: output must not depend on anything but the input (deterministic files). */
export const ZSTD_LEVEL = 3;

let ready: Promise<void> | undefined;

/** Resolves once the zstd WebAssembly module is loaded; call before compress/decompress. */
export function zstdReady(): Promise<void> {
  return (ready ??= zstd.isLoaded.then(() => undefined));
}

/**
 * McapWriter's compressChunk. A chunk that zstd cannot shrink (already-compressed PNG/JPEG
 * bytes) is stored as is; MCAP records the compression per chunk, so readers handle both.
 */
export function compressChunk(chunkData: Uint8Array): { compression: string; compressedData: Uint8Array } {
  const compressed = zstd.compress(chunkData, ZSTD_LEVEL);
  if (compressed.byteLength >= chunkData.byteLength) return { compression: '', compressedData: chunkData };
  return { compression: 'zstd', compressedData: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength) };
}

export const decompressHandlers: DecompressHandlers = {
  zstd: (buffer, decompressedSize) => {
    const out = zstd.decompress(buffer, Number(decompressedSize));
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
};
