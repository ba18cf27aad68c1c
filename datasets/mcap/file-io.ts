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

/** Random-access reads for McapIndexedReader. */
export class FileReadable implements IReadable {
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
    const buf = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(buf, done, n - done, Number(offset) + done);
      if (bytesRead === 0) throw new Error(`${this.path}: unexpected end of file at ${Number(offset) + done}`);
      done += bytesRead;
    }
    return buf;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
