/**
 * A thin layer over @mcap/core's McapWriter: a file on disk, chunked + indexed + zstd, with
 * schemas and channels registered on first use (Foxglove protobuf or JSON).
 *
 * Output is deterministic: the header names the library without a version or clock, the chunk
 * size and compression level are fixed, and ids are assigned in first-use order.
 */
import { McapWriter } from '@mcap/core';
import { FileWritable } from './file-io.js';
import { foxgloveProtobufSchema } from './foxglove-schemas.js';
import { encodeProtobuf } from './protobuf-codec.js';
import { compressChunk, zstdReady, ZSTD_LEVEL } from './zstd.js';

export interface McapFileWriterOptions {
  /** Uncompressed bytes per chunk before it is compressed and written (default 2 MiB: small enough that a seek decompresses little, large enough for zstd). */
  chunkSize?: number;
  /** MCAP header profile (default '' as Foxglove's own writers use for protobuf). */
  profile?: string;
  /** zstd level of the chunks (default ZSTD_LEVEL). */
  compressionLevel?: number;
}

export const DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024;
const LIBRARY = 'grokdrive';

export class McapFileWriter {
  #schemaIds = new Map<string, number>();
  #channelIds = new Map<string, number>();
  #sequences = new Map<number, number>();
  /** topic -> 'encoding:schemaName', so one topic never mixes schemas. */
  #channelSchemas = new Map<string, string>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly writer: McapWriter,
    private readonly file: FileWritable,
    readonly path: string,
  ) {}

  static async create(path: string, opts: McapFileWriterOptions = {}): Promise<McapFileWriter> {
    await zstdReady();
    const file = await FileWritable.create(path);
    const writer = new McapWriter({
      writable: file,
      chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
      compressChunk: (data) => compressChunk(data, opts.compressionLevel ?? ZSTD_LEVEL),
    });
    await writer.start({ profile: opts.profile ?? '', library: LIBRARY });
    return new McapFileWriter(writer, file, path);
  }

  /** McapWriter needs each call to finish before the next; callers may not await, so queue. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`${this.path}: write after close`));
    const next = this.#queue.then(fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #schemaId(name: string, encoding: string, data: () => Uint8Array): Promise<number> {
    const key = `${encoding}:${name}`;
    let id = this.#schemaIds.get(key);
    if (id === undefined) {
      id = await this.writer.registerSchema({ name, encoding, data: data() });
      this.#schemaIds.set(key, id);
    }
    return id;
  }

  async #channelId(topic: string, schemaName: string, schemaEncoding: string, messageEncoding: string, schemaData: () => Uint8Array): Promise<number> {
    const existing = this.#channelIds.get(topic);
    if (existing !== undefined) return existing;
    const schemaId = await this.#schemaId(schemaName, schemaEncoding, schemaData);
    const id = await this.writer.registerChannel({ schemaId, topic, messageEncoding, metadata: new Map() });
    this.#channelIds.set(topic, id);
    this.#channelSchemas.set(topic, `${messageEncoding}:${schemaName}`);
    return id;
  }

  #checkTopic(topic: string, messageEncoding: string, schemaName: string): void {
    const known = this.#channelSchemas.get(topic);
    if (known !== undefined && known !== `${messageEncoding}:${schemaName}`) {
      throw new Error(`${this.path}: topic ${topic} already carries ${known}, cannot write ${messageEncoding}:${schemaName} to it`);
    }
  }

  async #add(channelId: number, logTimeNs: bigint, data: Uint8Array, sequence?: number): Promise<void> {
    if (logTimeNs < 0n) throw new RangeError(`${this.path}: negative log time ${logTimeNs}`);
    const seq = sequence ?? this.#sequences.get(channelId) ?? 0;
    this.#sequences.set(channelId, seq + 1);
    await this.writer.addMessage({ channelId, sequence: seq, logTime: logTimeNs, publishTime: logTimeNs, data });
  }

  /**
   * A Foxglove message (plain object with the schema's snake_case field names; Timestamp fields
   * as bigint nanoseconds). `sequence` defaults to a per-topic counter.
   */
  writeFoxglove(topic: string, schemaName: string, logTimeNs: bigint, message: Record<string, unknown>, sequence?: number): Promise<void> {
    return this.#serial(async () => {
      const schema = foxgloveProtobufSchema(schemaName);
      this.#checkTopic(topic, 'protobuf', schema.name);
      let data: Uint8Array;
      try {
        data = encodeProtobuf(schema.type, message);
      } catch (err) {
        throw new Error(`${this.path}: cannot encode ${schema.name} for ${topic} at ${logTimeNs} ns: ${(err as Error).message}`);
      }
      const channelId = await this.#channelId(topic, schema.name, 'protobuf', 'protobuf', () => schema.descriptorSet);
      await this.#add(channelId, logTimeNs, data, sequence);
    });
  }

  /**
   * A JSON message. bigint values are written as decimal strings (JSON has no 64-bit integers);
   * typed arrays as plain arrays.
   */
  writeJson(topic: string, logTimeNs: bigint, value: unknown, schemaName = jsonSchemaNameFor(topic), jsonSchema: object = { type: 'object' }): Promise<void> {
    return this.#serial(async () => {
      this.#checkTopic(topic, 'json', schemaName);
      const text = JSON.stringify(value, jsonReplacer);
      if (text === undefined) throw new TypeError(`${this.path}: value for ${topic} is not JSON-serialisable`);
      const channelId = await this.#channelId(topic, schemaName, 'jsonschema', 'json', () => new TextEncoder().encode(JSON.stringify(jsonSchema)));
      await this.#add(channelId, logTimeNs, new TextEncoder().encode(text));
    });
  }

  /** Flushes the last chunk and writes the summary (indexes, statistics) and footer. */
  close(): Promise<void> {
    const done = this.#serial(async () => {
      await this.writer.end();
      await this.file.close();
    });
    this.#closed = true;
    return done;
  }
}

export function jsonSchemaNameFor(topic: string): string {
  return 'grokdrive' + topic.replace(/\//g, '.');
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}
