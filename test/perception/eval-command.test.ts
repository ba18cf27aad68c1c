import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../bin/commands/eval.js';

describe('grokdrive eval seg', () => {
  it('prints one JSON object with miou, pixelAccuracy and perClassIoU, and writes side-by-side PNGs', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-seg-')), 'pngs');
    const logs: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void logs.push(s));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run(['seg', '--limit', '2', '--json', '--out', out, '--samples', '1'])).toBe(0);
    } finally {
      spy.mockRestore();
      stderr.mockRestore();
    }
    expect(logs).toHaveLength(1);
    const r = JSON.parse(logs[0]);
    expect(r.images).toBe(2);
    expect(r.miou).toBeGreaterThan(0);
    expect(r.pixelAccuracy).toBeGreaterThan(r.miou);
    expect(Object.keys(r.perClassIoU)).toContain('Road');
    const meta = await sharp(join(out, '0016E5_07959.png')).metadata();
    expect([meta.width, meta.height]).toEqual([3 * 480, 360]);
  });

  it('rejects an unknown evaluation with exit code 2', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await run(['nothing'])).toBe(2);
      expect(String(err.mock.calls[0][0])).toMatch(/unknown evaluation 'nothing'/);
    } finally {
      err.mockRestore();
    }
  });
});
