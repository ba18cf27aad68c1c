/**
 * Pairing the streams of a multi-stream dataset (images, timestamps, poses) by frame index.
 *
 * Policy: a frame is kept when every required stream has it. A small disagreement (at most
 * max(2, 5 %) of the frames) drops the unmatched frames and says which in a warning; a larger
 * one is an error, because it usually means the wrong folder or a broken copy.
 */
export interface IndexedStream {
  /** Name for messages, e.g. 'image_02/data' or 'oxts/timestamps.txt'. */
  name: string;
  indices: readonly number[];
}

export function dropTolerance(frames: number): number {
  return Math.max(2, Math.floor(frames * 0.05));
}

/** "3, 7, 10-14" */
export function formatIndices(indices: readonly number[]): string {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function matchStreams(where: string, primary: IndexedStream, others: readonly IndexedStream[]): { indices: number[]; warnings: string[] } {
  const sets = others.map((s) => new Set(s.indices));
  const kept: number[] = [];
  const missing = others.map(() => [] as number[]);
  for (const i of primary.indices) {
    let ok = true;
    sets.forEach((set, k) => {
      if (!set.has(i)) {
        missing[k].push(i);
        ok = false;
      }
    });
    if (ok) kept.push(i);
  }
  const dropped = primary.indices.length - kept.length;
  const details = others
    .map((s, k) => (missing[k].length ? `${s.name} lacks frame${missing[k].length > 1 ? 's' : ''} ${formatIndices(missing[k])}` : ''))
    .filter(Boolean);
  if (dropped === 0) return { indices: kept, warnings: [] };
  const counts = [primary, ...others].map((s) => `${s.name}: ${s.indices.length}`).join(', ');
  if (dropped > dropTolerance(primary.indices.length)) {
    throw new Error(`${where}: the streams do not match (${counts}); ${details.join('; ')}. ` +
      `That is ${dropped} of ${primary.indices.length} frames, more than the ${dropTolerance(primary.indices.length)} that may be dropped`);
  }
  return {
    indices: kept,
    warnings: [`${where}: dropped ${dropped} frame${dropped > 1 ? 's' : ''} that not every stream has (${details.join('; ')})`],
  };
}
