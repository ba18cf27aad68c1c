/**
 * Copies a drive's lidar scans into the result log, in time order beside the frames, and checks
 * plans against the scan taken at their frame. It runs where the log is written (the writer's
 * thread), so reading and decoding scans (megabytes each) stays off the engine's thread.
 */
import { DriveReader, type DriveMessage } from '../../datasets/drive-log/reader.js';
import type { DriveWriter } from '../../datasets/drive-log/writer.js';
import { pointCloudFromFoxglove } from '../../datasets/drive-log/foxglove-convert.js';
import { topics } from '../../types/topics.js';
import { planCrossesScan, type LidarCheckCounts, type LidarPlanCheck } from './open-loop.js';

/** Later than any log time (MCAP log times are uint64). */
const AFTER_ALL = 2n ** 64n;

export class LidarCopy {
  readonly counts: LidarCheckCounts = { checked: 0, crossing: 0 };
  private next: DriveMessage | undefined;
  private finished = false;

  private constructor(
    private readonly reader: DriveReader,
    private readonly scans: AsyncIterator<DriveMessage>,
    private readonly out: DriveWriter,
  ) {}

  /** Reads the scans of the drive log at `inputPath`, writes them to `out`. */
  static async open(inputPath: string, out: DriveWriter): Promise<LidarCopy> {
    const reader = await DriveReader.open(inputPath);
    return new LidarCopy(reader, reader.messages({ topics: [topics.lidar] })[Symbol.asyncIterator](), out);
  }

  /**
   * Writes the scans taken up to `timeNs` (a frame's time; frames come in time order). With a
   * check, the plan is checked against the scan taken at exactly that time, if there is one.
   */
  async upTo(timeNs: bigint, check?: LidarPlanCheck): Promise<void> {
    for (;;) {
      if (!this.next && !this.finished) {
        const n = await this.scans.next();
        if (n.done) this.finished = true;
        else this.next = n.value;
      }
      const scan = this.next;
      if (!scan || scan.logTimeNs > timeNs) return;
      this.next = undefined;
      if (check && scan.logTimeNs === timeNs) {
        const cloud = pointCloudFromFoxglove(scan.message as Record<string, unknown>, `${this.reader.path} ${topics.lidar}@${scan.logTimeNs}`);
        this.counts.checked++;
        if (planCrossesScan(cloud.xyzi, check)) this.counts.crossing++;
      }
      await this.out.writeFoxglove(topics.lidar, scan.schemaName, scan.logTimeNs, scan.message as Record<string, unknown>);
    }
  }

  /** Writes the scans after the last frame and closes the input. */
  async finish(): Promise<void> {
    try {
      await this.upTo(AFTER_ALL);
    } finally {
      await this.scans.return?.(undefined);
      await this.reader.close();
    }
  }
}
