import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { GitLimitError } from '../../../../activities/errors.js';
import { UploadPackScanner } from '../../../../activities/git/limited-http.js';
import { PackScanner } from '../../../../activities/git/pack-scanner.js';
import { defaultGitLimits, type GitLimits } from '../../../../activities/trust/config.js';
import { packOf, removeTempDirs, tempRepo } from '../../../fixtures/git-bombs.js';

const MiB = 1024 * 1024;
const ctx = { url: 'http://git.example/team/repo.git', revision: 'c0ffee' };

/** Feeds a pack in chunks of `size` bytes; returns the scanner and how many bytes it was given. */
async function scan(pack: Buffer, size: number, limits: Partial<GitLimits> = {}) {
  const scanner = new PackScanner({ ...defaultGitLimits, ...limits }, ctx);
  let given = 0;
  for (let at = 0; at < pack.length; at += size) {
    const chunk = pack.subarray(at, at + size);
    given += chunk.length;
    await scanner.push(chunk);
  }
  return { scanner, given };
}

/** Feeds a pack and returns the error it was refused with (and how far the scan got). */
async function refusal(pack: Buffer, size: number, limits: Partial<GitLimits>) {
  const scanner = new PackScanner({ ...defaultGitLimits, ...limits }, ctx);
  let given = 0;
  for (let at = 0; at < pack.length; at += size) {
    given += Math.min(size, pack.length - at);
    try {
      await scanner.push(pack.subarray(at, at + size));
    } catch (err) {
      expect(err).toBeInstanceOf(GitLimitError);
      return { message: (err as Error).message, given };
    }
  }
  throw new Error('the pack was not refused');
}

/** A repository with text files edited over three commits (so the pack has deltas) and its object sizes. */
function historyRepo() {
  const { dir, git } = tempRepo('pack-history');
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}: ${'abcdefghij'.repeat(3)}`);
  for (let c = 0; c < 3; c++) {
    lines[c * 100] = `edited in commit ${c}`;
    writeFileSync(join(dir, 'big.txt'), lines.join('\n'));
    writeFileSync(join(dir, `small-${c}.yaml`), `n: ${c}\n`);
    git(['add', '-A']);
    git(['commit', '-q', '-m', `c${c}`]);
  }
  const sizes = git(['cat-file', '--batch-all-objects', '--batch-check=%(objectsize)'])
    .split('\n')
    .map(Number);
  return { dir, git, objects: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0) };
}

/** A pack of one entry written by hand: a blob that declares `declared` bytes and holds `content`. */
function handPack(declared: number, content: Buffer): Buffer {
  const header = [0x30 | (declared & 15)];
  for (let rest = Math.floor(declared / 16); rest > 0; rest = Math.floor(rest / 128)) {
    header[header.length - 1] = (header[header.length - 1] as number) | 0x80;
    header.push(rest & 0x7f);
  }
  const head = Buffer.from([...Buffer.from('PACK'), 0, 0, 0, 2, 0, 0, 0, 1]);
  return Buffer.concat([head, Buffer.from(header), deflateSync(content), Buffer.alloc(20)]);
}

afterAll(removeTempDirs);

describe('pack scanner, on packs made by system git', () => {
  const history = historyRepo();
  const pack = packOf(history.dir, ['HEAD']);

  it('reads a normal pack with deltas whatever the chunking, counting each object at its inflated size', async () => {
    for (const size of [1, 7, 4096, 65515, pack.length]) {
      const { scanner } = await scan(pack, size);
      expect(scanner.complete).toBe(true);
      expect(scanner.stats.objects).toBe(history.objects);
      expect(scanner.stats.deltas).toBeGreaterThan(0);
      // Deltas count as the objects they make: the sum is exactly what `git cat-file` reports.
      expect(scanner.stats.inflatedBytes).toBe(history.bytes);
      expect(scanner.stats.packBytes).toBe(pack.length);
    }
  });

  it('reads REF_DELTA entries (no ofs-delta) the same way', async () => {
    const refPack = packOf(history.dir, ['HEAD'], { ofsDelta: false });
    const { scanner } = await scan(refPack, 1000);
    expect(scanner.complete).toBe(true);
    expect(scanner.stats.deltas).toBeGreaterThan(0);
    expect(scanner.stats.inflatedBytes).toBe(history.bytes);
  });

  it('refuses a blob over maxObjectBytes at its header, before inflating it', async () => {
    const { dir, git } = tempRepo('pack-big');
    writeFileSync(join(dir, 'zeros.bin'), Buffer.alloc(20 * MiB));
    writeFileSync(join(dir, 'app.yaml'), 'a: 1\n');
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'big']);
    const big = packOf(dir, ['HEAD']);
    expect(big.length).toBeLessThan(100 * 1024); // 20 MiB of zeros deflate to ~20 KiB
    const started = Date.now();
    const { message, given } = await refusal(big, 4096, { maxObjectBytes: 16 * MiB });
    expect(message).toMatch(
      /^http:\/\/git\.example\/team\/repo\.git at c0ffee: blob #\d of 4 in the pack is 20 MiB, over the limit of 16 MiB \(git\.maxObjectBytes in the worker config\)$/,
    );
    expect(given).toBeLessThan(big.length); // stopped at the header, not after reading the blob
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a delta whose result is over maxObjectBytes, however small the delta', async () => {
    const { dir, git } = tempRepo('pack-delta');
    const base = randomBytes(3 * MiB);
    writeFileSync(join(dir, 'data.bin'), base);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'base']);
    // Git deltifies only against a base of similar size; the repeated part is one copy instruction.
    writeFileSync(join(dir, 'data.bin'), Buffer.concat([base, base.subarray(0, MiB)]));
    git(['commit', '-q', '-a', '-m', 'longer']);
    // A thin pack, as a server sends to a client that has the base: the 4 MiB blob is a delta of a few bytes.
    const thin = packOf(dir, ['HEAD', '^HEAD~1'], { thin: true });
    expect(thin.length).toBeLessThan(64 * 1024);
    const { message } = await refusal(thin, 512, { maxObjectBytes: 2 * MiB });
    expect(message).toMatch(
      /delta #\d of 3 in the pack makes an object of 4 MiB, over the limit of 2 MiB \(git\.maxObjectBytes/,
    );
    // A delta too big to inflate in one go (200 KiB of new data) is read while it streams.
    writeFileSync(join(dir, 'data.bin'), Buffer.concat([base, randomBytes(200 * 1024)]));
    git(['commit', '-q', '-a', '-m', 'new data']);
    const streamed = packOf(dir, ['HEAD', '^HEAD~1'], { thin: true });
    expect(streamed.length).toBeLessThan(MiB);
    expect((await refusal(streamed, 4096, { maxObjectBytes: 2 * MiB })).message).toContain(
      'makes an object of 3.2 MiB, over the limit of 2 MiB',
    );
    const { scanner } = await scan(streamed, 4096);
    expect(scanner.stats.deltas).toBe(1);
    expect(scanner.stats.inflatedBytes).toBeGreaterThan(3 * MiB + 200 * 1024); // the blob, a tree, a commit
  });

  it('refuses a pack whose objects inflate past maxCheckoutBytes, counting deltas as their results', async () => {
    const { message } = await refusal(pack, 4096, { maxCheckoutBytes: history.bytes - 1 });
    expect(message).toMatch(
      /the fetched objects inflate to more than .*\(git\.maxCheckoutBytes in the worker config\)$/,
    );
  });

  it('refuses a pack over maxPackBytes and one with more objects than maxFiles', async () => {
    expect((await refusal(pack, 1024, { maxPackBytes: 2048 })).message).toContain('the pack passed 2 KiB');
    expect((await refusal(pack, 1024, { maxFiles: 3 })).message).toMatch(
      new RegExp(`the pack holds ${history.objects} objects, over the limit of 3 \\(git\\.maxFiles`),
    );
  });
});

describe('pack scanner, on packs that lie', () => {
  it('refuses an entry that inflates past its declared size, small or streamed', async () => {
    for (const declared of [10, 200 * 1024]) {
      const { message } = await refusal(handPack(declared, Buffer.alloc(8 * MiB)), 4096, {});
      expect(message).toContain(`the fetched pack is malformed: entry #1 inflates past its declared`);
    }
  });

  it('refuses an entry that inflates to less than it declared, and junk instead of a pack', async () => {
    expect((await refusal(handPack(1000, Buffer.alloc(10)), 4096, {})).message).toContain(
      'entry #1 inflates to 10 bytes, not the declared 1000',
    );
    expect((await refusal(Buffer.from('<html>not a pack</html>'), 4096, {})).message).toContain(
      'no PACK signature',
    );
  });

  it('accepts a hand-made pack that tells the truth', async () => {
    const { scanner } = await scan(handPack(300 * 1024, Buffer.alloc(300 * 1024, 1)), 999);
    expect(scanner.complete).toBe(true);
    expect(scanner.stats).toMatchObject({ objects: 1, inflatedBytes: 300 * 1024 });
  });
});

describe('upload-pack response scanner', () => {
  it('finds the pack on side-band 1 between negotiation lines and progress', async () => {
    const { dir } = historyRepo();
    const pack = packOf(dir, ['HEAD']);
    const line = (payload: Buffer) =>
      Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, '0')), payload]);
    const parts = [line(Buffer.from('NAK\n')), line(Buffer.from('\x02Counting objects: 9, done.\n'))];
    for (let at = 0; at < pack.length; at += 65515)
      parts.push(line(Buffer.concat([Buffer.from([1]), pack.subarray(at, at + 65515)])));
    parts.push(Buffer.from('0000'));
    const body = Buffer.concat(parts);
    const scanner = new UploadPackScanner(defaultGitLimits, ctx);
    for (let at = 0; at < body.length; at += 333) await scanner.push(body.subarray(at, at + 333));
    expect(scanner.pack.complete).toBe(true);
    expect(scanner.pack.stats.packBytes).toBe(pack.length);
  });
});
