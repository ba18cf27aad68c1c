/**
 * One reading interface over an MCAP file, whether it is complete (summary + indexes, read
 * with McapIndexedReader without scanning) or a prefix without a footer (scanned once).
 */
import { McapIndexedReader, type McapTypes } from '@mcap/core';
import { FileReadable } from './file-io.js';
import { chunkedMessages } from './chunk-messages.js';
import { scanPrefix, type PrefixScan, type ScannedChunk } from './prefix-scan.js';
import { decompressHandlers, decompressReady } from './decompress.js';

export interface ReadWindow {
  topics?: readonly string[];
  /** Inclusive bounds on log time. */
  startNs?: bigint;
  endNs?: bigint;
}

export interface McapSource {
  readonly path: string;
  /** 'indexed': complete file; 'prefix': no usable summary, read by a scan. */
  readonly mode: 'indexed' | 'prefix';
  /** For 'prefix' mode: why the file is incomplete. */
  readonly incompleteBecause?: string;
  readonly header?: McapTypes.Header;
  readonly schemasById: ReadonlyMap<number, McapTypes.Schema>;
  readonly channelsById: ReadonlyMap<number, McapTypes.Channel>;
  readonly startNs?: bigint;
  readonly endNs?: bigint;
  messageCount(channelId: number): number;
  /** Messages in log-time order (ties keep file order). */
  readMessages(window?: ReadWindow): AsyncGenerator<McapTypes.Message>;
  /** The last message on `topic` with log time <= timeNs, if any. */
  latestAtOrBefore(topic: string, timeNs: bigint): Promise<McapTypes.Message | undefined>;
  close(): Promise<void>;
}

export async function openMcap(path: string): Promise<McapSource> {
  await decompressReady([]);
  const file = await FileReadable.open(path);
  try {
    let indexedError: Error;
    try {
      const reader = await McapIndexedReader.Initialize({ readable: file, decompressHandlers });
      await decompressReady(reader.chunkIndexes.map((c) => c.compression));
      return await indexedSource(path, file, reader);
    } catch (err) {
      indexedError = err as Error;
    }
    await decompressReady(); // a scan meets the chunks' compressions as it goes
    const scan = await scanPrefix(file, decompressHandlers);
    const total = [...scan.messageCounts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) {
      throw new Error(
        `${path}: no readable messages (${scan.stoppedBecause ?? 'empty data section'}; ` +
          `the summary could not be used either: ${indexedError.message})`,
      );
    }
    return prefixSource(path, file, scan);
  } catch (err) {
    await file.close();
    throw err;
  }
}

async function indexedSource(path: string, file: FileReadable, reader: McapIndexedReader): Promise<McapSource> {
  const chunks: ScannedChunk[] = reader.chunkIndexes.map((c) => ({
    offset: c.chunkStartOffset,
    length: c.chunkLength,
    startNs: c.messageStartTime,
    endNs: c.messageEndTime,
    // The channels with a message index in the chunk; a file without message indexes says nothing.
    channels: c.messageIndexOffsets.size > 0 ? new Set(c.messageIndexOffsets.keys()) : undefined,
  }));
  let counts = reader.statistics?.channelMessageCounts;
  let startNs = reader.statistics?.messageStartTime;
  let endNs = reader.statistics?.messageEndTime;
  if (!counts) {
    // Files from writers that skip statistics: count once through the indexes.
    const c = new Map<number, bigint>();
    for await (const m of reader.readMessages()) {
      c.set(m.channelId, (c.get(m.channelId) ?? 0n) + 1n);
      if (startNs === undefined || m.logTime < startNs) startNs = m.logTime;
      if (endNs === undefined || m.logTime > endNs) endNs = m.logTime;
    }
    counts = c;
  }
  const empty = reader.statistics?.messageCount === 0n;
  return {
    path,
    mode: 'indexed',
    header: reader.header,
    schemasById: reader.schemasById,
    channelsById: reader.channelsById,
    startNs: empty ? undefined : startNs,
    endNs: empty ? undefined : endNs,
    messageCount: (id) => Number(counts.get(id) ?? 0n),
    // Through the chunk index, with the messages borrowed from the (cached) chunk bytes: the
    // reader's own readMessages copies every chunk and every message, a third of a replay's
    // reading time.
    readMessages: (w = {}) => chunkedMessages(file, chunks, [], reader.channelsById, w),
    latestAtOrBefore: async (topic, timeNs) => {
      // Look back a little first: the reader then considers only the chunks near timeNs.
      for (const back of [1_000_000_000n, 30_000_000_000n, undefined]) {
        const startTime = back === undefined ? undefined : timeNs - back > 0n ? timeNs - back : 0n;
        for await (const m of reader.readMessages({ topics: [topic], startTime, endTime: timeNs, reverse: true })) return m;
        if (startTime === 0n) break;
      }
      return undefined;
    },
    close: () => file.close(),
  };
}

function prefixSource(path: string, file: FileReadable, scan: PrefixScan): McapSource {
  const readMessages = (w: ReadWindow = {}) => chunkedMessages(file, scan.chunks, scan.looseMessages, scan.channelsById, w);

  return {
    path,
    mode: 'prefix',
    incompleteBecause: scan.stoppedBecause,
    header: scan.header,
    schemasById: scan.schemasById,
    channelsById: scan.channelsById,
    startNs: scan.startNs,
    endNs: scan.endNs,
    messageCount: (id) => scan.messageCounts.get(id) ?? 0,
    readMessages,
    latestAtOrBefore: async (topic, timeNs) => {
      let last: McapTypes.Message | undefined;
      for await (const m of readMessages({ topics: [topic], endNs: timeNs })) last = m;
      return last;
    },
    close: () => file.close(),
  };
}
