import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath, dataRoot, repoRoot } from '../datasets/data-root.js';

describe('data root', () => {
  it('finds the repository and the shared data beside it', () => {
    expect(existsSync(join(repoRoot(), 'package.json'))).toBe(true);
    expect(existsSync(dataPath('README.md'))).toBe(true);
  });

  it('follows $GROKDRIVE_DATA', () => {
    const before = process.env.GROKDRIVE_DATA;
    process.env.GROKDRIVE_DATA = '/tmp/elsewhere';
    try {
      expect(dataRoot()).toBe('/tmp/elsewhere');
    } finally {
      if (before === undefined) delete process.env.GROKDRIVE_DATA;
      else process.env.GROKDRIVE_DATA = before;
    }
  });
});
