import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from '../../plugins/renderers/tool-path.js';

/** An age key pair made with Debian's age-keygen. */
export interface AgeKey {
  /** AGE-SECRET-KEY-1... */
  secret: string;
  /** age1... */
  recipient: string;
}

/** A fresh age key pair. */
export function ageKeygen(): AgeKey {
  const out = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const secret = /AGE-SECRET-KEY-1[0-9A-Z]+/.exec(out)?.[0];
  const recipient = /# public key: (age1[0-9a-z]+)/.exec(out)?.[1];
  if (!secret || !recipient) throw new Error('age-keygen printed no key');
  return { secret, recipient };
}

/** The text of a file encrypted by the real sops for the recipient; name's extension picks the format. */
export function sopsEncrypt(name: string, plain: string, recipient: string, encryptedRegex?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sops-test-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, plain);
    const regex = encryptedRegex ? [`--encrypted-regex=${encryptedRegex}`] : [];
    execFileSync(findTool('sops'), ['encrypt', `--age=${recipient}`, ...regex, '--in-place', '--', file], {
      env: { PATH: process.env.PATH, HOME: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
