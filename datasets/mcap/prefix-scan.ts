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
  /** Channels with messages in the chunk (absent: not known, read it for any channel). */
  channels?: ReadonlySet<number>;
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
    const channels = new Set<number>();
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
            // `channels` is filled by the messages the stream yields from this same record.
            scan.chunks.push({ offset, length: 9n + length, startNs: r.messageStartTime, endNs: r.messageEndTime, channels });
            break;
          case 'Message':
            countMessage(r);
            channels.add(r.channelId);
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
