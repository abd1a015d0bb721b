import { describe, expect, it } from 'vitest';
import { withHeadAdvertised } from '../../../../activities/git/head-advertisement.js';

const pkt = (s: string | null) =>
  s === null ? '0000' : `${(Buffer.byteLength(s) + 4).toString(16).padStart(4, '0')}${s}`;
const ad = (...lines: (string | null)[]) => Buffer.from(lines.map(pkt).join(''), 'latin1');
const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

describe('a fetch advertisement without HEAD', () => {
  it('gets a HEAD line at the first ref, which keeps its place without the capabilities', () => {
    const body = ad(
      '# service=git-upload-pack\n',
      null,
      `${a} refs/heads/trunk\0ofs-delta agent=git\n`,
      `${b} refs/tags/v1\n`,
      null,
    );
    expect(withHeadAdvertised(body).toString('latin1')).toBe(
      ad(
        '# service=git-upload-pack\n',
        null,
        `${a} HEAD\0ofs-delta agent=git\n`,
        `${a} refs/heads/trunk\n`,
        `${b} refs/tags/v1\n`,
        null,
      ).toString('latin1'),
    );
  });

  it('is left alone when HEAD is advertised, the repository is empty, or the body is not pkt-lines', () => {
    const withHead = ad(
      '# service=git-upload-pack\n',
      null,
      `${a} HEAD\0caps\n`,
      `${a} refs/heads/main\n`,
      null,
    );
    expect(withHeadAdvertised(withHead)).toEqual(withHead);
    const empty = ad('# service=git-upload-pack\n', null, `${'0'.repeat(40)} capabilities^{}\0caps\n`, null);
    expect(withHeadAdvertised(empty)).toEqual(empty);
    const html = Buffer.from('<html>not found</html>');
    expect(withHeadAdvertised(html)).toEqual(html);
  });
});
