// SOPS decryption in the render step (Application spec.decryption). No shared checkout or chart is ever
// written: each root holding an encrypted file the render reads (encrypted-files.ts) is copied into a private
// folder (0700, removed after the render), those files are decrypted in the copy (0600), and the renderers
// run on the copies. Roots without such files are read where they are.

import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderError } from '../../plugins/renderers/renderer.js';
import { sopsDecrypt } from '../../plugins/renderers/sops/decrypt.js';
import { ageRecipients, formatOf } from '../../plugins/renderers/sops/format.js';
import {
  type DecryptScope,
  type DecryptTarget,
  type EncryptedFile,
  encryptedFiles,
} from './encrypted-files.js';

/** The age keys of a decryption secretRef, resolved by the activity. */
export interface DecryptionKeys {
  secretName: string;
  /** age private keys, one per line (the value of SOPS_AGE_KEY). */
  ageKeys: string;
}

/** Where a render reads a root from: its private decrypted copy, or the root itself when it holds nothing encrypted. */
export type RootOf = (root: string) => string;

/**
 * Runs fn with private copies of the targets' roots whose encrypted files are decrypted (rootOf maps a root to
 * its copy); the copies are removed afterwards.
 */
export async function withDecryptedCopies<T>(
  targets: DecryptTarget[],
  scope: DecryptScope,
  keys: DecryptionKeys,
  fn: (rootOf: RootOf) => Promise<T>,
): Promise<T> {
  const files = await encryptedFiles(targets, scope);
  if (files.length === 0) return fn((root) => root);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-decrypt-'));
  try {
    const home = join(dir, 'home');
    const copies = new Map<string, string>();
    for (const root of new Set(files.map((f) => f.root))) {
      const copy = join(dir, `root-${copies.size}`);
      // Symlinks are copied as links; the files decrypted are found through the real paths, which contain none.
      await cp(root, copy, { recursive: true, verbatimSymlinks: true });
      copies.set(root, copy);
    }
    for (const f of files) await decryptInPlace(join(copies.get(f.root) as string, f.inRoot), f, keys, home);
    return await fn((root) => copies.get(root) ?? root);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function decryptInPlace(
  path: string,
  f: EncryptedFile,
  keys: DecryptionKeys,
  home: string,
): Promise<void> {
  const format = formatOf(path);
  if (!format) return;
  const text = await readFile(path, 'utf8');
  const plain = await sopsDecrypt({
    path,
    format,
    ageKeys: keys.ageKeys,
    home,
    file: f.shown,
    secretName: keys.secretName,
    recipients: ageRecipients(text),
  });
  // The copy's file is read-only like the checkout's: replace it with one only this user can read.
  await unlink(path);
  await writeFile(path, plain, { mode: 0o600, flag: 'wx' });
}

/** Keys of a decryption secret that hold age private keys: Flux's `.agekey` suffix (`_agekey` from the environment source, which cannot hold dots). */
export function ageKeysOf(values: Record<string, string>, secretName: string): DecryptionKeys {
  const keys = Object.entries(values)
    .filter(([k]) => k.endsWith('.agekey') || k.endsWith('_agekey'))
    .map(([, v]) => v.trim())
    .filter((v) => v.length > 0);
  if (keys.length === 0)
    throw new RenderError(
      `decryption secret "${secretName}" holds no age key: put each age private key (AGE-SECRET-KEY-1...) in a key whose name ends in .agekey`,
    );
  return { secretName, ageKeys: keys.join('\n') };
}
