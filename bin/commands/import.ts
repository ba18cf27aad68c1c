/**
 * `grokdrive import <kind> <input> -o drive.mcap`: turns a dataset folder or a video into a
 * drive log, with a progress bar. Bad frames are skipped and listed at the end.
 */
import { parseArgs } from 'node:util';
import { formatImportReport, type ImportReport, type ProgressCallback } from '../../datasets/importers/import-source.js';
import { importImageFolder, importKittiOdometry, importKittiRaw, importVideo } from '../../datasets/importers/importers.js';
import { progressBar, type ProgressBar } from '../progress-bar.js';

export const summary = 'import a drive: kitti-raw <drive_dir> | kitti-odometry <seq_dir> | images <dir> | video <file> -o drive.mcap';

const usage = `usage:
  grokdrive import kitti-raw <drive_dir> -o drive.mcap [--calib-dir DIR] [--cameras image_02,image_03] [--no-lidar]
  grokdrive import kitti-odometry <sequence_dir> -o drive.mcap [--camera image_0]
  grokdrive import images <dir> --fps N --calib calibration.json -o drive.mcap
  grokdrive import video <file.mp4> --calib calibration.json -o drive.mcap [--fps N] [--quality 90]
options common to all: --json (print the report as JSON on stdout)`;

function positiveNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${name} must be a positive number, got '${text}'`);
  return n;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      fps: { type: 'string' },
      calib: { type: 'string' },
      'calib-dir': { type: 'string' },
      cameras: { type: 'string' },
      camera: { type: 'string' },
      'no-lidar': { type: 'boolean', default: false },
      quality: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [kind, input, ...extra] = positionals;
  if (!kind || !input || extra.length > 0 || !values.output) {
    console.error(!values.output && kind && input ? 'grokdrive import: give the output file with -o drive.mcap\n' + usage : usage);
    return 2;
  }
  const output = values.output;
  let bar: ProgressBar | undefined;
  const onProgress: ProgressCallback = (done, total) => {
    bar ??= progressBar(`import ${kind}`, total);
    bar.update(done);
  };
  const fps = positiveNumber('--fps', values.fps);
  const needCalib = (): string => {
    if (!values.calib) throw new Error(`import ${kind}: give the camera calibration with --calib <file.json>`);
    return values.calib;
  };

  let report: ImportReport;
  switch (kind) {
    case 'kitti-raw':
      report = await importKittiRaw(input, output, {
        onProgress,
        calibDir: values['calib-dir'],
        cameras: values.cameras?.split(',').map((s) => s.trim()).filter(Boolean),
        lidar: !values['no-lidar'],
      });
      break;
    case 'kitti-odometry':
      report = await importKittiOdometry(input, output, { onProgress, camera: values.camera });
      break;
    case 'images':
      if (fps === undefined) throw new Error('import images: give the frame rate with --fps N');
      report = await importImageFolder(input, output, { onProgress, fps, calibration: needCalib() });
      break;
    case 'video':
      report = await importVideo(input, output, { onProgress, fps, calibration: needCalib(), jpegQuality: positiveNumber('--quality', values.quality) });
      break;
    default:
      console.error(`grokdrive import: unknown kind '${kind}'\n${usage}`);
      return 2;
  }
  bar?.finish();
  if (values.json) {
    console.log(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  } else {
    console.log(formatImportReport(report));
  }
  return 0;
}
