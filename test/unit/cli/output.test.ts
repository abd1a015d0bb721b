import { afterEach, describe, expect, it } from 'vitest';
import { colour, formatTable, isoTime, short } from '../../../cli/output.js';

describe('cli output', () => {
  const tty = process.stdout.isTTY;
  const noColor = process.env.NO_COLOR;
  afterEach(() => {
    process.stdout.isTTY = tty;
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  });

  it('aligns columns under upper-case headers, ignoring colour codes', () => {
    process.stdout.isTTY = true;
    delete process.env.NO_COLOR;
    const table = formatTable(
      ['name', 'sync', 'health'],
      [
        ['web', colour('green', 'Synced'), 'Healthy'],
        ['checkout-api', colour('red', 'OutOfSync'), 'Degraded'],
      ],
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colour codes to compare columns
    expect(table.replace(/\x1b\[[0-9;]*m/g, '').split('\n')).toEqual([
      'NAME          SYNC       HEALTH',
      'web           Synced     Healthy',
      'checkout-api  OutOfSync  Degraded',
    ]);
  });

  it('colours only on a terminal, and never with NO_COLOR', () => {
    process.stdout.isTTY = false;
    expect(colour('red', 'Failed')).toBe('Failed');
    process.stdout.isTTY = true;
    process.env.NO_COLOR = '1';
    expect(colour('red', 'Failed')).toBe('Failed');
    delete process.env.NO_COLOR;
    expect(colour('red', 'Failed')).toBe('\x1b[31mFailed\x1b[0m');
  });

  it('shortens SHAs and formats times', () => {
    expect(short('0123456789abcdef0123456789abcdef01234567')).toBe('0123456');
    expect(short(undefined)).toBe('-');
    expect(isoTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05Z');
  });
});
