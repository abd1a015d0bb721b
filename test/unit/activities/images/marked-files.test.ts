// Attack tests of update.path: it may not leave the clone or follow a committed symbolic link.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AutomationPathError, markedFileCandidates } from '../../../../activities/images/marked-files.js';

function clone() {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-marked-'));
  const outside = mkdtempSync(join(tmpdir(), 'sluice-outside-'));
  writeFileSync(join(outside, 'secret.yaml'), 'x: 1\n');
  mkdirSync(join(dir, 'deploy', 'web'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'deploy', 'web', 'app.yaml'), 'a: 1\n');
  writeFileSync(join(dir, 'deploy', 'web', 'notes.txt'), 'n\n');
  writeFileSync(join(dir, '.git', 'config.yaml'), 'c: 1\n');
  symlinkSync(outside, join(dir, 'deploy', 'linked'));
  symlinkSync(join(outside, 'secret.yaml'), join(dir, 'deploy', 'web', 'link.yaml'));
  symlinkSync(outside, join(dir, 'escape'));
  return dir;
}

describe('markedFileCandidates', () => {
  it('lists the YAML regular files under the path, skipping links and .git', async () => {
    const dir = clone();
    expect(await markedFileCandidates(dir, 'deploy')).toEqual(['deploy/web/app.yaml']);
    expect(await markedFileCandidates(dir, '.')).toEqual(['deploy/web/app.yaml']);
    expect(await markedFileCandidates(dir, 'deploy/web/app.yaml')).toEqual(['deploy/web/app.yaml']);
    expect(await markedFileCandidates(dir, 'missing')).toEqual([]);
  });

  it('refuses a path that leaves the clone or runs through a symbolic link', async () => {
    const dir = clone();
    for (const path of ['../x', '/etc', 'deploy/../../x', '.git', 'a\\b'])
      await expect(markedFileCandidates(dir, path), path).rejects.toThrow(AutomationPathError);
    await expect(markedFileCandidates(dir, 'escape')).rejects.toThrow(/symbolic link/);
    await expect(markedFileCandidates(dir, 'deploy/linked/secret.yaml')).rejects.toThrow(/symbolic link/);
  });
});
