/**
 * `grokdrive eval <what> ...`: measures a part of the engine on real data. Each <what> is a
 * module bin/commands/eval/<what>.ts exporting `usage` and `run(args)`; add one there and list
 * it in `evals` below.
 */
export const summary = 'evaluate on real data: seg (segmentation on a CamVid split), occupancy (camera grid vs lidar on KITTI raw)';

interface EvalCommand {
  usage: string;
  run(args: string[]): Promise<number>;
}

const evals: Record<string, () => Promise<EvalCommand>> = {
  seg: () => import('./eval/seg.js'),
  occupancy: () => import('./eval/occupancy.js'),
};

export async function run(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const load = what ? evals[what] : undefined;
  if (!load) {
    const lines = ['usage: grokdrive eval <what> [options]', ''];
    for (const [name, l] of Object.entries(evals)) lines.push(`  ${(await l()).usage.replace(/^/, `${name}: `)}`);
    (what && what !== '--help' && what !== '-h' ? console.error : console.log)(
      (what && what !== '--help' && what !== '-h' ? `grokdrive eval: unknown evaluation '${what}'\n` : '') + lines.join('\n'),
    );
    return what && what !== '--help' && what !== '-h' ? 2 : 0;
  }
  return (await load()).run(rest);
}
