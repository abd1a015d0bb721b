import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTable } from '../../../cli/output.js';
import { escapeControls, guardTerminal, terminalCode, visibleWidth } from '../../../cli/terminal.js';

describe('escapeControls', () => {
  it('shows C0 controls, DEL and C1 controls as \\u escapes; keeps \\n, \\t and \\r\\n', () => {
    expect(escapeControls('a\x1b[2Jb')).toBe('a\\u001b[2Jb');
    expect(escapeControls('\x1b]0;owned\x07')).toBe('\\u001b]0;owned\\u0007');
    expect(escapeControls('\x1b]52;c;b3duZWQ=\x1b\\')).toBe('\\u001b]52;c;b3duZWQ=\\u001b\\');
    expect(escapeControls('x\x00y\x08z\x7f\u009b31m\u0085')).toBe(
      'x\\u0000y\\u0008z\\u007f\\u009b31m\\u0085',
    );
    expect(escapeControls('ok\rspoofed')).toBe('ok\\u000dspoofed');
    expect(escapeControls('line 1\r\nline 2\n\tindented')).toBe('line 1\r\nline 2\n\tindented');
    expect(escapeControls('naïve — ✓ 名前')).toBe('naïve — ✓ 名前');
  });

  it('keeps JSON and YAML output meaning the same', () => {
    const value = { msg: 'a\u009b2Jb\x7f' };
    expect(JSON.parse(escapeControls(JSON.stringify(value)))).toEqual(value);
  });
});

describe('the terminal guard', () => {
  const written: string[] = [];
  const fake = new Writable({
    write(chunk: Buffer, _enc, done) {
      written.push(chunk.toString('utf8'));
      done();
    },
  });
  const unguard = guardTerminal([fake]);
  afterAll(unguard);

  it('escapes what comes from outside and lets Sluice’s own codes through, for strings and buffers', () => {
    const outside = 'sync failed: \x1b[2J\x1b]0;pwned\x07 path not found';
    fake.write(`${terminalCode('[31m')}${outside}${terminalCode('[0m')}\n`);
    fake.write(Buffer.from('\x1b[1A\x1b[K fake "Healthy"\n'));
    expect(written).toEqual([
      '\x1b[31msync failed: \\u001b[2J\\u001b]0;pwned\\u0007 path not found\x1b[0m\n',
      '\\u001b[1A\\u001b[K fake "Healthy"\n',
    ]);
  });

  it('measures table cells as the terminal shows them', () => {
    expect(visibleWidth(`${terminalCode('[32m')}Healthy${terminalCode('[0m')}`)).toBe(7);
    expect(visibleWidth('a\x1bb')).toBe(8);
    expect(formatTable(['name', 'x'], [['a\x07', '1']])).toBe('NAME     X\na\x07  1');
  });
});
