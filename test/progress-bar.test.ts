import { describe, expect, it } from 'vitest';
import { progressLine } from '../bin/progress-bar.js';

describe('progress bar line', () => {
  it('shows rate and ETA from what is done so far', () => {
    expect(progressLine('replay', 50, 200, 2, 'frames')).toBe('replay [######------------------] 50/200 frames 25.0/s ETA 6.0s');
  });

  it('gives no rate in the first half second, when one frame in microseconds would claim thousands a second', () => {
    expect(progressLine('replay', 1, 200, 0.000006)).toBe('replay [------------------------] 1/200 frames ?/s ETA ?');
  });

  it('gives the rate of finished work however short, and no ETA without a total', () => {
    expect(progressLine('scan', 30, 30, 0.2, 'files', undefined, true)).toBe('scan [########################] 30/30 files 150.0/s ETA 0.0s');
    expect(progressLine('scan', 30, 0, 3, 'files', 'note')).toBe('scan [------------------------] 30 files 10.0/s ETA ? note');
  });
});
