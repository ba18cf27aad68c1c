/** MCAP's IWritable / IReadable over a Node file handle. */
import { open, type FileHandle } from 'node:fs/promises';
import type { IReadable, IWritable } from '@mcap/core';

/**
 * Appends to a file. Every write goes straight to the OS, so what McapWriter has handed over
 * (complete chunks) survives if the process is killed.
 */
export class FileWritable implements IWritable {
  #pos = 0n;
  private constructor(private readonly handle: FileHandle, readonly path: string) {}

  static async create(path: string): Promise<FileWritable> {
    try {
      return new FileWritable(await open(path, 'w'), path);
    } catch (err) {
      throw new Error(`cannot create ${path}: ${(err as Error).message}`);
    }
  }

  async write(buffer: Uint8Array): Promise<void> {
    let off = 0;
    while (off < buffer.byteLength) {
      const { bytesWritten } = await this.handle.write(buffer, off, buffer.byteLength - off);
      off += bytesWritten;
    }
    this.#pos += BigInt(buffer.byteLength);
  }

  position(): bigint {
    return this.#pos;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Reads at least this large (chunks) are kept in a small cache; index reads are not. */
const CACHE_MIN_BYTES = 256 * 1024;
const CACHE_MAX_BYTES = 48 * 1024 * 1024;

/**
 * Random-access reads for McapIndexedReader. Recent chunk-sized reads are cached (LRU, 48 MiB)
 * and returned as the same buffer, so a viewer or replay that asks for nearby times again does
 * not re-read (or, with the zstd handler's cache, re-decompress) the chunk. Callers must not
 * modify returned buffers.
 */
export class FileReadable implements IReadable {
  #cache = new Map<string, Uint8Array>();
  #cachedBytes = 0;

  private constructor(private readonly handle: FileHandle, readonly path: string, private readonly bytes: bigint) {}

  static async open(path: string): Promise<FileReadable> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw new Error(`cannot open ${path}: ${(err as Error).message}`);
    }
    const { size } = await handle.stat();
    return new FileReadable(handle, path, BigInt(size));
  }

  async size(): Promise<bigint> {
    return this.bytes;
  }

  async read(offset: bigint, size: bigint): Promise<Uint8Array> {
    if (offset + size > this.bytes) {
      throw new Error(`${this.path}: read of ${size} bytes at ${offset} runs past the end (${this.bytes} bytes)`);
    }
    const n = Number(size);
    const key = `${offset}:${size}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key); // move to the most recent end
      this.#cache.set(key, hit);
      return hit;
    }
    const buf = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(buf, done, n - done, Number(offset) + done);
      if (bytesRead === 0) throw new Error(`${this.path}: unexpected end of file at ${Number(offset) + done}`);
      done += bytesRead;
    }
    if (n >= CACHE_MIN_BYTES && n <= CACHE_MAX_BYTES / 2) {
      this.#cache.set(key, buf);
      this.#cachedBytes += n;
      for (const [k, v] of this.#cache) {
        if (this.#cachedBytes <= CACHE_MAX_BYTES) break;
        this.#cache.delete(k);
        this.#cachedBytes -= v.byteLength;
      }
    }
    return buf;
  }

  async close(): Promise<void> {
    this.#cache.clear();
    this.#cachedBytes = 0;
    await this.handle.close();
  }
}
