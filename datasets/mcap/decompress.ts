/**
 * Chunk decompression for the readers: zstd (what grokdrive writes) and the other compressions
 * MCAP allows, lz4 and bz2 (other recorders' logs), through @mcap/support's WebAssembly
 * decoders.
 */
import type { DecompressHandlers } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';
import { decompressZstd, zstdReady } from './zstd.js';

export type Decompress = (data: Uint8Array, decompressedSize: bigint) => Uint8Array;

const decompressors: Record<string, Decompress> = {};
let others: Promise<void> | undefined;

/**
 * Resolves once the decoders for `compressions` are loaded (all of them when not given); call
 * before reading. zstd is always loaded; lz4 and bz2 (about 70 ms) only when a file needs them.
 */
export async function decompressReady(compressions?: Iterable<string>): Promise<void> {
  await zstdReady();
  decompressors.zstd = decompressZstd;
  const needOthers = compressions === undefined || [...compressions].some((c) => c !== '' && c !== 'zstd');
  if (needOthers) await (others ??= loadDecompressHandlers().then((h) => void Object.assign(decompressors, h, { zstd: decompressZstd })));
}

/** The decoder for a chunk's `compression` (none is needed for ''); undefined for one MCAP does not define. */
export function decompressorFor(compression: string): Decompress | undefined {
  if (Object.keys(decompressors).length === 0) throw new Error('decompressReady() must resolve before chunks are read');
  return Object.hasOwn(decompressors, compression) ? decompressors[compression] : undefined;
}

/** Recently decompressed chunks (LRU, bounded in bytes), for readers that revisit a time. */
const DECOMPRESSED_CACHE_BYTES = 64 * 1024 * 1024;
const decompressed = new Map<string, Uint8Array>();
let decompressedBytes = 0;

/**
 * A key for compressed bytes: sizes plus an FNV-1a hash over every 1024th byte and the first
 * and last 4 KiB. The MCAP reader copies chunk bytes on every read, so identity cannot serve as
 * the key. A collision is all but impossible, and could not go unnoticed: the reader checks
 * each decompressed chunk against the CRC stored with it.
 */
function chunkKey(compression: string, buffer: Uint8Array, decompressedSize: bigint): string {
  let h = 0x811c9dc5;
  const mix = (b: number): void => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  const n = buffer.byteLength;
  for (let i = 0; i < Math.min(n, 4096); i++) mix(buffer[i]);
  for (let i = Math.max(0, n - 4096); i < n; i++) mix(buffer[i]);
  for (let i = 0; i < n; i += 1024) mix(buffer[i]);
  return `${compression}:${n}:${decompressedSize}:${(h >>> 0).toString(16)}`;
}

function cached(compression: string): Decompress {
  return (buffer, decompressedSize) => {
    const key = chunkKey(compression, buffer, decompressedSize);
    const hit = decompressed.get(key);
    if (hit) {
      decompressed.delete(key); // most recent last
      decompressed.set(key, hit);
      return hit;
    }
    const view = decompressorFor(compression)!(buffer, decompressedSize);
    if (view.byteLength <= DECOMPRESSED_CACHE_BYTES / 4) {
      decompressed.set(key, view);
      decompressedBytes += view.byteLength;
      for (const [k, v] of decompressed) {
        if (decompressedBytes <= DECOMPRESSED_CACHE_BYTES) break;
        decompressed.delete(k);
        decompressedBytes -= v.byteLength;
      }
    }
    return view;
  };
}

/** For @mcap/core's readers (the summary, a prefix scan, looking back for the latest message). */
export const decompressHandlers: DecompressHandlers = { zstd: cached('zstd'), lz4: cached('lz4'), bz2: cached('bz2') };
