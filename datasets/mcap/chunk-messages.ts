/**
 * Reading messages chunk by chunk, for complete files (chunks from the summary's index) and
 * for prefixes (chunks found by a scan) alike. Messages are views into the chunk's bytes, not
 * copies: the chunk and its decompressed records are read, checked and decompressed once while
 * the file's read cache holds the record, and every pass over the same time (a replay reads
 * the poses, then the frames) reuses them.
 */
import { Opcode, type McapTypes } from '@mcap/core';
import { crc32 } from '@foxglove/crc';
import type { FileReadable } from './file-io.js';
import type { ReadWindow } from './mcap-source.js';
import type { ScannedChunk } from './prefix-scan.js';
import { decompressorFor } from './decompress.js';

/** Decompressed, CRC-checked records per chunk record buffer (FileReadable returns the same buffer while it caches it). */
const recordsOf = new WeakMap<Uint8Array, Uint8Array>();

/** A chunk record's message records: decompressed and checked against the chunk's CRC. */
function chunkRecords(record: Uint8Array, where: string): Uint8Array {
  const known = recordsOf.get(record);
  if (known) return known;
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  if (view.getUint8(0) !== Opcode.CHUNK) throw new Error(`${where}: expected a chunk record`);
  let p = 9 + 16; // opcode, length; message start / end time
  const uncompressedSize = view.getBigUint64(p, true);
  const uncompressedCrc = view.getUint32(p + 8, true);
  p += 12;
  const compressionLength = view.getUint32(p, true);
  p += 4;
  const compression = new TextDecoder().decode(record.subarray(p, p + compressionLength));
  p += compressionLength;
  const recordsLength = Number(view.getBigUint64(p, true));
  p += 8;
  if (p + recordsLength > record.byteLength) throw new Error(`${where}: the chunk's records run past the end of the chunk`);
  let data = record.subarray(p, p + recordsLength);
  if (compression !== '') {
    const handler = decompressorFor(compression);
    if (!handler) throw new Error(`${where}: unsupported chunk compression '${compression}'`);
    try {
      data = handler(data, uncompressedSize);
    } catch (err) {
      throw new Error(`${where}: cannot decompress the chunk (${compression}): ${(err as Error).message} (the file is corrupt)`);
    }
  }
  if (BigInt(data.byteLength) !== uncompressedSize) throw new Error(`${where}: the chunk holds ${data.byteLength} bytes of records, its header says ${uncompressedSize}`);
  // 0: the writer did not compute one.
  if (uncompressedCrc !== 0 && crc32(data) !== uncompressedCrc) throw new Error(`${where}: the chunk's records do not match its CRC (the file is corrupt)`);
  recordsOf.set(record, data);
  return data;
}

/** The messages of one chunk record, in record order (views into the chunk's bytes). Other records are skipped. */
function decodeChunkMessages(record: Uint8Array, where: string): McapTypes.Message[] {
  const data = chunkRecords(record, where);
  const inner = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const messages: McapTypes.Message[] = [];
  for (let q = 0; q + 9 <= data.byteLength; ) {
    const opcode = inner.getUint8(q);
    const length = Number(inner.getBigUint64(q + 1, true));
    const body = q + 9;
    if (body + length > data.byteLength) throw new Error(`${where}: a record at byte ${q} of the chunk runs past its end`);
    if (opcode === Opcode.MESSAGE) {
      messages.push({
        channelId: inner.getUint16(body, true),
        sequence: inner.getUint32(body + 2, true),
        logTime: inner.getBigUint64(body + 6, true),
        publishTime: inner.getBigUint64(body + 14, true),
        data: data.subarray(body + 22, body + length),
      });
    }
    q = body + length;
  }
  return messages;
}

const byTime = (a: McapTypes.Message, b: McapTypes.Message): number => (a.logTime < b.logTime ? -1 : a.logTime > b.logTime ? 1 : 0);

/**
 * The messages of `chunks` and of `loose` (messages outside chunks) inside a window, in
 * log-time order; ties keep file order.
 */
export async function* chunkedMessages(
  file: FileReadable,
  chunks: readonly ScannedChunk[],
  loose: readonly McapTypes.Message[],
  channelsById: ReadonlyMap<number, McapTypes.Channel>,
  w: ReadWindow,
): AsyncGenerator<McapTypes.Message> {
  let ids: Set<number> | undefined;
  if (w.topics) {
    ids = new Set();
    for (const ch of channelsById.values()) if (w.topics.includes(ch.topic)) ids.add(ch.id);
  }
  const keep = (m: McapTypes.Message): boolean =>
    (!ids || ids.has(m.channelId)) && (w.startNs === undefined || m.logTime >= w.startNs) && (w.endNs === undefined || m.logTime <= w.endNs);
  const inWindow = chunks
    .filter((c) => (w.startNs === undefined || c.endNs >= w.startNs) && (w.endNs === undefined || c.startNs <= w.endNs))
    .filter((c) => !ids || !c.channels || [...ids].some((id) => c.channels!.has(id)))
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  // Merge: messages earlier than the next chunk's start time can no longer be overtaken.
  let pending = loose.filter(keep);
  for (const chunk of inWindow) {
    const ready = pending.filter((m) => m.logTime < chunk.startNs);
    pending = pending.filter((m) => m.logTime >= chunk.startNs);
    yield* ready.sort(byTime); // Array.sort is stable: ties keep file order
    const record = await file.read(chunk.offset, chunk.length);
    for (const m of decodeChunkMessages(record, `${file.path} chunk at byte ${chunk.offset}`)) {
      if (keep(m)) pending.push(m);
    }
  }
  yield* pending.sort(byTime);
}
