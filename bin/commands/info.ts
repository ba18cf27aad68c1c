/** `grokdrive info drive.mcap [--json]`: what a recorded drive holds. */
import { parseArgs } from 'node:util';
import { driveInfo, formatDriveInfo } from '../../datasets/drive-log/drive-info.js';

export const summary = 'show a drive log: duration, messages per topic, cameras, ego path (--json)';

const usage = 'usage: grokdrive info <drive.mcap> [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  const info = await driveInfo(positionals[0]);
  if (values.json) {
    console.log(JSON.stringify(info, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  } else {
    console.log(formatDriveInfo(info));
  }
  return 0;
}
