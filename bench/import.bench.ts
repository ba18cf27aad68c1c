/**
 * Import speed and drive-log size on the shared KITTI raw drive (108 frames, two colour
 * cameras, 11 lidar scans). Peers measured in the same run: a plain copy of the same input
 * files (the I/O floor) and the read + decode check alone (the validation cost).
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '../datasets/data-root.js';
import { DriveReader } from '../datasets/drive-log/reader.js';
import { importKittiRaw } from '../datasets/importers/importers.js';
import { openKittiRaw } from '../sensors/sources/kitti-raw.js';

const RUNS = 3;

async function folderBytes(dir: string): Promise<{ bytes: number; files: string[] }> {
  let bytes = 0;
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const p = join(entry.parentPath, entry.name);
    files.push(p);
    bytes += (await stat(p)).size;
  }
  return { bytes, files };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<void> {
  const drive = dataPath('kitti-raw', '2011_09_26_drive_0001_sync');
  const dir = await mkdtemp(join(tmpdir(), 'grokdrive-bench-import-'));
  try {
    const whole = await folderBytes(drive);
    // The streams the importer reads (image_00/01, the grey cameras, are not imported).
    const used = await Promise.all(['image_02', 'image_03', 'oxts', 'velodyne_points'].map((s) => folderBytes(join(drive, s))));
    const usedBytes = used.reduce((a, u) => a + u.bytes, 0);
    const usedFiles = used.flatMap((u) => u.files);

    const importS: number[] = [];
    const copyS: number[] = [];
    const checkS: number[] = [];
    let frames = 0;
    let out = '';
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      for (const [k, f] of usedFiles.entries()) await writeFile(join(dir, `copy-${k}`), await readFile(f));
      copyS.push((performance.now() - t) / 1000);

      t = performance.now();
      const source = await openKittiRaw(drive);
      for await (const item of source.items()) if (item.kind === 'frame' && item.frame.index < 0) throw new Error('unreachable');
      checkS.push((performance.now() - t) / 1000);

      out = join(dir, `drive-${i}.mcap`);
      t = performance.now();
      const report = await importKittiRaw(drive, out);
      importS.push((performance.now() - t) / 1000);
      frames = report.frames;
    }
    const mcapBytes = (await stat(out)).size;
    // Reading back: every frame with calibration and pose, as replay consumes them.
    const readS: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const reader = await DriveReader.open(out);
      let n = 0;
      for await (const f of reader.frames()) n += f.image.data.length > 0 ? 1 : 0;
      await reader.close();
      if (n !== frames) throw new Error(`read back ${n} frames, imported ${frames}`);
      readS.push((performance.now() - t) / 1000);
    }
    // The first pass decompresses every chunk; later passes find them in the reader's chunk cache.
    const readCold = readS[0];
    const readWarm = median(readS.slice(1));
    const imp = median(importS), copy = median(copyS), check = median(checkS);
    const mb = (b: number) => (b / 1e6).toFixed(2) + ' MB';
    console.log(`KITTI raw import (${frames} camera frames = 108 time steps x 2 cameras, 11 lidar scans), median of ${RUNS}:`);
    console.log(`  import:              ${imp.toFixed(2)} s  ${(frames / imp).toFixed(1)} camera frames/s  (${(108 / imp).toFixed(1)} time steps/s)`);
    console.log(`  peer, read+decode check only: ${check.toFixed(2)} s  -> import costs ${(imp / check).toFixed(2)}x the validation pass`);
    console.log(`  peer, plain copy of the ${usedFiles.length} input files: ${copy.toFixed(2)} s  -> import costs ${(imp / copy).toFixed(1)}x a copy`);
    console.log(`  read back (DriveReader.frames), first pass: ${readCold.toFixed(2)} s  ${(frames / readCold).toFixed(1)} camera frames/s`);
    console.log(`  read back again (chunks cached): ${readWarm.toFixed(2)} s  ${(frames / readWarm).toFixed(1)} camera frames/s`);
    console.log(`  MCAP ${mb(mcapBytes)} vs the imported streams ${mb(usedBytes)}: ratio ${(mcapBytes / usedBytes).toFixed(3)}`);
    console.log(`  MCAP ${mb(mcapBytes)} vs the whole drive folder ${mb(whole.bytes)} (incl. unimported grey cameras): ratio ${(mcapBytes / whole.bytes).toFixed(3)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
