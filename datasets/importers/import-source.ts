/**
 * Writes any frame source into a drive log. A frame the source could not read (corrupt or
 * missing file) is skipped and counted; the import goes on and the report lists it.
 */
import { rename, rm, stat } from 'node:fs/promises';
import type { FrameSource, SkippedFrame } from '../../sensors/sources/frame-source.js';
import { DriveWriter, type DriveWriterOptions } from '../drive-log/writer.js';

export type ProgressCallback = (done: number, total: number) => void;

export interface ImportOptions extends DriveWriterOptions {
  onProgress?: ProgressCallback;
}

export interface ImportReport {
  source: string;
  output: string;
  /** Camera frames written, all cameras together. */
  frames: number;
  framesPerCamera: Record<string, number>;
  lidarScans: number;
  skipped: SkippedFrame[];
  warnings: string[];
  startNs?: bigint;
  endNs?: bigint;
  bytesWritten: number;
  seconds: number;
}

/**
 * Import `source` into `output`. The log is written to `<output>.partial` and renamed at the
 * end, so a failed import never leaves a file that looks complete.
 */
export async function importSource(source: FrameSource, output: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const partial = `${output}.partial`;
  const writer = await DriveWriter.create(partial, opts);
  const report: ImportReport = {
    source: source.description,
    output,
    frames: 0,
    framesPerCamera: Object.fromEntries(source.cameraIds.map((c) => [c, 0])),
    lidarScans: 0,
    skipped: [],
    warnings: [],
    bytesWritten: 0,
    seconds: 0,
  };
  const total = source.expectedFrames ?? 0;
  let attempted = 0;
  let mountsWritten = false;
  try {
    for await (const item of source.items()) {
      if (item.kind === 'skipped') {
        report.skipped.push(item.skipped);
        attempted++;
        opts.onProgress?.(attempted, total);
        continue;
      }
      const timeNs = item.kind === 'frame' ? item.frame.timeNs : item.scan.timeNs;
      if (!mountsWritten) {
        for (const m of source.mounts) await writer.writeStaticTransform(timeNs, m.parent, m.child, m.pose);
        mountsWritten = true;
      }
      report.startNs ??= timeNs;
      report.endNs = timeNs;
      if (item.kind === 'frame') {
        await writer.writeFrame(item.frame);
        report.frames++;
        report.framesPerCamera[item.frame.cameraId] = (report.framesPerCamera[item.frame.cameraId] ?? 0) + 1;
        attempted++;
        opts.onProgress?.(attempted, total);
      } else {
        await writer.writeLidar(item.scan.timeNs, item.scan.xyzi, item.scan.frameId, item.scan.index);
        report.lidarScans++;
      }
    }
    await writer.close();
  } catch (err) {
    await writer.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  }
  if (report.frames === 0) {
    await rm(partial, { force: true });
    const why = report.skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join('; ');
    throw new Error(`${source.description}: no frame could be imported${why ? ` (${why}${report.skipped.length > 3 ? '; ...' : ''})` : ''}`);
  }
  await rename(partial, output);
  report.warnings = [...source.warnings];
  report.bytesWritten = (await stat(output)).size;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** One human-readable paragraph: counts, skipped frames by name, warnings. */
export function formatImportReport(r: ImportReport): string {
  const cams = Object.entries(r.framesPerCamera).map(([c, n]) => `${c} ${n}`).join(', ');
  const lines = [
    `${r.output}: ${r.frames} frames (${cams})${r.lidarScans ? `, ${r.lidarScans} lidar scans` : ''}, ` +
      `${(r.bytesWritten / 1e6).toFixed(2)} MB in ${r.seconds.toFixed(1)} s (${(r.frames / Math.max(r.seconds, 1e-9)).toFixed(1)} frames/s)`,
  ];
  if (r.skipped.length > 0) {
    lines.push(`skipped ${r.skipped.length} bad frame${r.skipped.length > 1 ? 's' : ''}:`);
    for (const s of r.skipped) lines.push(`  frame ${s.index} (${s.cameraId}): ${s.reason.startsWith(s.file) ? s.reason : `${s.file}: ${s.reason}`}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
