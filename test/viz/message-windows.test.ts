import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { MessageWindows } from '../../viz/server/message-windows.js';
import { topics } from '../../types/topics.js';
import { FRAME_NS, START_NS, writeSyntheticDrive } from './drive-fixtures.js';

let dir: string;
let reader: DriveReader;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grokdrive-windows-'));
  const path = join(dir, 'drive.mcap');
  await writeSyntheticDrive(path, { frames: 120, width: 160, height: 120, engineOutputs: true });
  reader = await DriveReader.open(path);
});
afterAll(async () => {
  await reader.close();
  await rm(dir, { recursive: true, force: true });
});

describe('MessageWindows', () => {
  const image = topics.cameraImage('image_02');

  it('counts the chunk a message is a view into, not just the view', async () => {
    const windows = new MessageWindows(reader);
    const m = (await windows.at([image], START_NS + 10n * FRAME_NS)).get(image)!;
    const data = (m.message as { data: Uint8Array }).data;
    expect(data.buffer.byteLength).toBeGreaterThan(data.byteLength); // a view into its chunk
    expect(windows.bytes).toBeGreaterThanOrEqual(data.buffer.byteLength);
  });

  it('keeps what it holds under maxBytes while the timeline is swept, and still answers every time', async () => {
    const first = new MessageWindows(reader);
    await first.at([image, topics.occupancy], START_NS);
    const oneWindow = first.bytes;
    const windows = new MessageWindows(reader, { maxBytes: 2 * oneWindow });
    for (let i = 0; i < 120; i += 7) {
      const got = await windows.at([image, topics.occupancy], START_NS + BigInt(i) * FRAME_NS);
      expect(got.get(image)?.logTimeNs).toBe(START_NS + BigInt(i) * FRAME_NS);
      // At most maxBytes, and more only by the newest window when it alone is larger: windows
      // differ in size by the chunks they touch, so allow it twice.
      expect(windows.bytes).toBeLessThanOrEqual(2 * (2 * oneWindow));
    }
  });
});
