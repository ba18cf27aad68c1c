import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapWriter, type IWritable } from '@mcap/core';
import lz4js from 'lz4js';
import { DriveReader } from '../../datasets/drive-log/index.js';

/** Bytes collected in memory, for McapWriter. */
class MemoryWritable implements IWritable {
  chunks: Uint8Array[] = [];
  #pos = 0n;
  async write(buffer: Uint8Array): Promise<void> {
    this.chunks.push(buffer.slice());
    this.#pos += BigInt(buffer.byteLength);
  }
  position(): bigint {
    return this.#pos;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-mcap-lz4-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('logs from other MCAP writers', () => {
  it('reads chunks compressed with lz4, and names a compression MCAP does not define', async () => {
    // Another recorder's log: JSON messages in small lz4 chunks.
    const write = async (compression: string, compress: (data: Uint8Array) => Uint8Array): Promise<string> => {
      const out = new MemoryWritable();
      const writer = new McapWriter({ writable: out, chunkSize: 1024, compressChunk: (data) => ({ compression, compressedData: compress(data) }) });
      await writer.start({ profile: '', library: 'another recorder' });
      const schemaId = await writer.registerSchema({ name: 'reading', encoding: 'jsonschema', data: new TextEncoder().encode('{"type":"object"}') });
      const channelId = await writer.registerChannel({ topic: '/sensor/reading', schemaId, messageEncoding: 'json', metadata: new Map() });
      for (let i = 0; i < 200; i++) {
        const t = 1_000_000_000n + BigInt(i) * 10_000_000n;
        await writer.addMessage({ channelId, sequence: i, logTime: t, publishTime: t, data: new TextEncoder().encode(JSON.stringify({ i, text: 'reading '.repeat(i % 7) })) });
      }
      await writer.end();
      const path = join(dir, `${compression}.mcap`);
      await writeFile(path, Buffer.concat(out.chunks));
      return path;
    };

    const reader = await DriveReader.open(await write('lz4', (data) => new Uint8Array(lz4js.compress(data))));
    try {
      const got: number[] = [];
      for await (const m of reader.messages({ topics: ['/sensor/reading'] })) got.push((m.message as { i: number }).i);
      expect(got).toEqual([...Array(200).keys()]);
      expect((await reader.messageAt('/sensor/reading', 1_000_000_000n + 55n * 10_000_000n))?.message).toEqual({ i: 55, text: 'reading '.repeat(55 % 7) });
    } finally {
      await reader.close();
    }

    const odd = await DriveReader.open(await write('snappy', (data) => data));
    try {
      const read = async () => {
        for await (const m of odd.messages()) void m;
      };
      await expect(read()).rejects.toThrow(/snappy\.mcap chunk at byte \d+: unsupported chunk compression 'snappy'/);
    } finally {
      await odd.close();
    }
  });
});
