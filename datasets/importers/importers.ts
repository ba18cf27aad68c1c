/** The importers behind `grokdrive import <kind>`: open a source, write it as a drive log. */
import { openImageFolder, type ImageFolderOptions } from '../../sensors/sources/image-folder.js';
import { openKittiOdometry, type KittiOdometryOptions } from '../../sensors/sources/kitti-odometry.js';
import { openKittiRaw, type KittiRawOptions } from '../../sensors/sources/kitti-raw.js';
import { openVideo, type VideoOptions } from '../../sensors/sources/video.js';
import { importSource, type ImportOptions, type ImportReport } from './import-source.js';

export async function importKittiRaw(driveDir: string, output: string, opts: KittiRawOptions & ImportOptions = {}): Promise<ImportReport> {
  return importSource(await openKittiRaw(driveDir, opts), output, opts);
}

export async function importKittiOdometry(sequenceDir: string, output: string, opts: KittiOdometryOptions & ImportOptions = {}): Promise<ImportReport> {
  return importSource(await openKittiOdometry(sequenceDir, opts), output, opts);
}

export async function importImageFolder(dir: string, output: string, opts: ImageFolderOptions & ImportOptions): Promise<ImportReport> {
  return importSource(await openImageFolder(dir, opts), output, opts);
}

export async function importVideo(file: string, output: string, opts: VideoOptions & ImportOptions): Promise<ImportReport> {
  return importSource(await openVideo(file, opts), output, opts);
}
