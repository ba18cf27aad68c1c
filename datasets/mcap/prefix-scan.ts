/**
 * Reading an MCAP file that has no usable summary: a writer killed before `end()`, or a file
 * cut short in a copy. Walks the records from the start, keeps every complete chunk, and stops
 * at the first incomplete or corrupt record. What comes before it is the readable prefix.
 */
import { McapStreamReader, MCAP_MAGIC, Opcode, type DecompressHandlers, type McapTypes } from '@mcap/core';
import type { FileReadable } from './file-io.js';

export interface ScannedChunk {
  /** File offset of the chunk record (its opcode byte). */
  offset: bigint;
  /** Whole record length, opcode and length prefix included. */
  length: bigint;
  startNs: bigint;
  endNs: bigint;
}

export interface PrefixScan {
  header?: McapTypes.Header;
  schemasById: Map<number, McapTypes.Schema>;
  channelsById: Map<number, McapTypes.Channel>;
  chunks: ScannedChunk[];
  /** Messages written outside chunks (other writers may do that); kept in memory. */
  looseMessages: McapTypes.Message[];
  messageCounts: Map<number, number>;
  startNs?: bigint;
  endNs?: bigint;
  /** Bytes of the file that were read as complete records. */
  validBytes: bigint;
  /** Why the scan stopped before a footer, or undefined when the file was complete. */
  stoppedBecause?: string;
}

export function hasMagic(bytes: Uint8Array): boolean {
  return MCAP_MAGIC.every((b, i) => bytes[i] === b);
}

export async function scanPrefix(file: FileReadable, decompressHandlers: DecompressHandlers): Promise<PrefixScan> {
  const size = await file.size();
  if (size === 0n) throw new Error(`${file.path} is empty (0 bytes), not an MCAP file`);
  if (size < BigInt(MCAP_MAGIC.length) || !hasMagic(await file.read(0n, BigInt(MCAP_MAGIC.length)))) {
    throw new Error(`${file.path} is not an MCAP file (it does not start with the MCAP magic bytes)`);
  }
  const scan: PrefixScan = {
    schemasById: new Map(),
    channelsById: new Map(),
    chunks: [],
    looseMessages: [],
    messageCounts: new Map(),
    validBytes: BigInt(MCAP_MAGIC.length),
  };
  const stream = new McapStreamReader({ noMagicPrefix: true, includeChunks: true, decompressHandlers });
  const countMessage = (m: McapTypes.Message): void => {
    scan.messageCounts.set(m.channelId, (scan.messageCounts.get(m.channelId) ?? 0) + 1);
    if (scan.startNs === undefined || m.logTime < scan.startNs) scan.startNs = m.logTime;
    if (scan.endNs === undefined || m.logTime > scan.endNs) scan.endNs = m.logTime;
  };

  let offset = BigInt(MCAP_MAGIC.length);
  for (;;) {
    if (offset + 9n > size) {
      if (offset < size) scan.stoppedBecause = `the file ends inside a record header at byte ${offset}`;
      else scan.stoppedBecause = 'the file ends without a footer';
      break;
    }
    const head = await file.read(offset, 9n);
    const view = new DataView(head.buffer, head.byteOffset, 9);
    const opcode = view.getUint8(0);
    const length = view.getBigUint64(1, true);
    if (offset + 9n + length > size) {
      scan.stoppedBecause = `the record at byte ${offset} (opcode ${opcode}) is cut off: it needs ${length} bytes, ${size - offset - 9n} remain`;
      break;
    }
    if (opcode === Opcode.DATA_END || opcode === Opcode.FOOTER) break; // the rest is the summary
    const record = await file.read(offset, 9n + length);
    const before = scan.chunks.length;
    try {
      stream.append(record);
      for (let r; (r = stream.nextRecord()); ) {
        switch (r.type) {
          case 'Header':
            scan.header = r;
            break;
          case 'Schema':
            scan.schemasById.set(r.id, r);
            break;
          case 'Channel':
            scan.channelsById.set(r.id, r);
            break;
          case 'Chunk':
            scan.chunks.push({ offset, length: 9n + length, startNs: r.messageStartTime, endNs: r.messageEndTime });
            break;
          case 'Message':
            countMessage(r);
            if (opcode === Opcode.MESSAGE) scan.looseMessages.push(r);
            break;
          default:
            break;
        }
      }
    } catch (err) {
      // A corrupt chunk (bad CRC, bad compression): keep what came before it.
      scan.chunks.length = Math.min(scan.chunks.length, before);
      scan.stoppedBecause = `the record at byte ${offset} is corrupt: ${(err as Error).message}`;
      break;
    }
    offset += 9n + length;
    scan.validBytes = offset;
  }
  return scan;
}

/** The messages of one chunk record, in record order. Schemas and channels are skipped. */
export function decodeChunkMessages(record: Uint8Array, decompressHandlers: DecompressHandlers, where: string): McapTypes.Message[] {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  if (view.getUint8(0) !== Opcode.CHUNK) throw new Error(`${where}: expected a chunk record`);
  let p = 9;
  p += 16; // message start / end time
  const uncompressedSize = view.getBigUint64(p, true);
  p += 8 + 4; // size, crc
  const compressionLength = view.getUint32(p, true);
  p += 4;
  const compression = new TextDecoder().decode(record.subarray(p, p + compressionLength));
  p += compressionLength;
  const recordsLength = Number(view.getBigUint64(p, true));
  p += 8;
  let data = record.subarray(p, p + recordsLength);
  if (compression !== '') {
    const handler = decompressHandlers[compression];
    if (!handler) throw new Error(`${where}: unsupported chunk compression '${compression}'`);
    data = handler(data, uncompressedSize);
  }
  const inner = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const messages: McapTypes.Message[] = [];
  for (let q = 0; q + 9 <= data.byteLength; ) {
    const opcode = inner.getUint8(q);
    const length = Number(inner.getBigUint64(q + 1, true));
    const body = q + 9;
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
