/**
 * A video file as a frame source, decoded by the system's ffmpeg (Debian package) into raw RGB
 * through a pipe; each frame is re-encoded as JPEG with sharp for the drive log.
 *
 * Frames are stamped startNs + i / rate, where rate is the video's own frame rate, or `fps`
 * when given (ffmpeg's fps filter then drops or repeats frames to that rate).
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { CameraCalibration, TimeNs } from '../../types/index.js';
import { loadCalibrationFile } from '../calibration-file.js';
import type { FrameSource, SourceItem } from './frame-source.js';
import { calibrationCache, checkFps, frameTime } from './image-folder.js';

const run = promisify(execFile);

export interface VideoOptions {
  /** Path of a JSON CameraCalibration file, or the calibration itself. */
  calibration: string | CameraCalibration;
  /** Resample to this rate (default: keep every frame at the video's rate). */
  fps?: number;
  /** JPEG quality of the stored frames (default 90). */
  jpegQuality?: number;
  startNs?: TimeNs;
  /** ffmpeg / ffprobe executables (default: from PATH). */
  ffmpeg?: string;
  ffprobe?: string;
}

export interface VideoInfo {
  width: number;
  height: number;
  /** Frames per second (r_frame_rate). */
  rate: number;
  /** Frame count from the container, if it says. */
  frames?: number;
}

function parseRate(text: string | undefined): number {
  const [n, d] = String(text ?? '').split('/').map(Number);
  const r = d ? n / d : n;
  return Number.isFinite(r) && r > 0 ? r : NaN;
}

export async function probeVideo(file: string, ffprobe = 'ffprobe'): Promise<VideoInfo> {
  if (!existsSync(file)) throw new Error(`${file}: video file not found`);
  let out: string;
  try {
    ({ stdout: out } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_frames,r_frame_rate', '-of', 'json', file]));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${ffprobe} not found: install ffmpeg (Debian: apt-get install ffmpeg) to import videos`);
    throw new Error(`${file}: not a readable video: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
  const stream = (JSON.parse(out).streams ?? [])[0];
  if (!stream || !(stream.width > 0) || !(stream.height > 0)) throw new Error(`${file}: no video stream`);
  const frames = Number(stream.nb_frames);
  return { width: stream.width, height: stream.height, rate: parseRate(stream.r_frame_rate), frames: Number.isInteger(frames) && frames > 0 ? frames : undefined };
}

export async function openVideo(path: string, opts: VideoOptions): Promise<FrameSource> {
  const file = resolve(path);
  const info = await probeVideo(file, opts.ffprobe);
  if (opts.fps !== undefined) checkFps(opts.fps, file);
  const rate = opts.fps ?? info.rate;
  if (!(rate > 0)) throw new Error(`${file}: the video does not state its frame rate; give one with fps`);
  const resample = opts.fps !== undefined && Math.abs(opts.fps - info.rate) > 1e-9;
  const base = typeof opts.calibration === 'string' ? loadCalibrationFile(opts.calibration) : opts.calibration;
  const calibration = calibrationCache(base)(info.width, info.height);
  const quality = opts.jpegQuality ?? 90;
  const startNs = opts.startNs ?? 0n;
  const warnings: string[] = [];
  const expectedFrames = resample || info.frames === undefined ? undefined : info.frames;

  async function* items(): AsyncGenerator<SourceItem> {
    const args = ['-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-an', '-sn'];
    args.push(...(resample ? ['-vf', `fps=${opts.fps}`] : ['-fps_mode', 'passthrough']));
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
    const child = spawn(opts.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      if (stderr.length < 4000) stderr += s;
    });
    const exited = new Promise<number>((res, rej) => {
      child.on('error', (err: NodeJS.ErrnoException) =>
        rej(err.code === 'ENOENT' ? new Error(`${opts.ffmpeg ?? 'ffmpeg'} not found: install ffmpeg (Debian: apt-get install ffmpeg) to import videos`) : err));
      child.on('close', (code) => res(code ?? 1));
    });
    exited.catch(() => undefined);

    const frameBytes = info.width * info.height * 3;
    let frame = new Uint8Array(frameBytes);
    let filled = 0;
    let index = 0;
    // JPEG encodes run on sharp's threads while the pipe keeps flowing; results stay in order.
    const encoding: Promise<SourceItem>[] = [];
    const encode = (rgb: Uint8Array, i: number): Promise<SourceItem> =>
      sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } })
        .jpeg({ quality })
        .toBuffer()
        .then((jpeg) => ({
          kind: 'frame' as const,
          frame: {
            timeNs: frameTime(startNs, i, rate),
            index: i,
            cameraId: base.cameraId,
            image: { format: 'jpeg' as const, data: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength) },
            calibration,
            source: `${file}#${i}`,
          },
        }));
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        let off = 0;
        while (off < chunk.length) {
          const n = Math.min(frameBytes - filled, chunk.length - off);
          frame.set(chunk.subarray(off, off + n), filled);
          filled += n;
          off += n;
          if (filled === frameBytes) {
            encoding.push(encode(frame, index++));
            frame = new Uint8Array(frameBytes);
            filled = 0;
            if (encoding.length >= 4) yield await encoding.shift()!;
          }
        }
      }
      while (encoding.length > 0) yield await encoding.shift()!;
      const code = await exited;
      if (filled > 0) warnings.push(`${file}: the decoder stopped inside frame ${index}; that partial frame was dropped`);
      if (code !== 0) {
        const why = stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`;
        if (index === 0) throw new Error(`${file}: ffmpeg could not decode any frame: ${why}`);
        warnings.push(`${file}: ffmpeg stopped with an error after ${index} frames: ${why}`);
      }
      if (index === 0) throw new Error(`${file}: the video holds no frames`);
      // ffmpeg exits 0 on a truncated file; its complaints and a short count tell the story.
      if (code === 0 && stderr.trim()) warnings.push(`${file}: decoding errors: ${stderr.trim().split('\n').slice(-2).join(' | ')}`);
      if (expectedFrames !== undefined && index < expectedFrames) {
        warnings.push(`${file}: decoded ${index} of the ${expectedFrames} frames the container lists (truncated or damaged file?)`);
      }
    } finally {
      for (const p of encoding) p.catch(() => undefined); // consumer stopped early: drop the rest quietly
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }

  return { description: `video ${file}`, expectedFrames, cameraIds: [base.cameraId], mounts: [], warnings, items };
}
