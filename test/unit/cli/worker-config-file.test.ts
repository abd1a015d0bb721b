import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/errors.js';
import { readConfig, upsertListEntry, writeFileSecret } from '../../../cli/worker-config-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'sluice-cli-config-'));

describe('editing the worker config file', () => {
  it('creates the file, then adds and replaces entries, keeping comments', () => {
    const file = join(dir(), 'sluice-worker.yaml');
    upsertListEntry(
      file,
      'repositories',
      'id',
      { id: 'shop', url: 'https://git.example.com/shop.git' },
      { replace: false },
    );
    writeFileSync(file, `# mine\ntaskQueue: q # the queue\n${readFileSync(file, 'utf8')}`);
    expect(
      upsertListEntry(
        file,
        'repositories',
        'id',
        { id: 'infra', url: 'https://git.example.com/infra.git', secretRef: { name: 'repo-infra' } },
        { replace: false, set: { secretsDir: '/etc/sluice/secrets' } },
      ),
    ).toBe('added');
    expect(
      upsertListEntry(
        file,
        'repositories',
        'id',
        { id: 'shop', url: 'https://git.example.com/shop2.git' },
        { replace: true },
      ),
    ).toBe('replaced');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# mine');
    expect(text).toContain('taskQueue: q # the queue');
    const config = readConfig(file);
    expect(config.secretsDir).toBe('/etc/sluice/secrets');
    expect(config.repositories.map((r) => [r.id, r.url, r.revision])).toEqual([
      ['shop', 'https://git.example.com/shop2.git', 'main'],
      ['infra', 'https://git.example.com/infra.git', 'main'],
    ]);
  });

  it('refuses a duplicate id without replace, and an entry the worker would reject (exit 2)', () => {
    const file = join(dir(), 'w.yaml');
    upsertListEntry(file, 'clusters', 'name', { name: 'east' }, { replace: false });
    const dup = (() => {
      try {
        upsertListEntry(file, 'clusters', 'name', { name: 'east' }, { replace: false });
      } catch (err) {
        return err;
      }
    })();
    expect(dup).toBeInstanceOf(CliError);
    expect((dup as CliError).exitCode).toBe(2);
    expect(() =>
      upsertListEntry(file, 'clusters', 'name', { name: 'In Cluster!' }, { replace: false }),
    ).toThrow(/invalid worker config/);
    expect(readConfig(file).clusters).toEqual([{ name: 'east' }]);
  });

  it('writes secrets readable by the owner only, ignored by Git, dropping stale keys', () => {
    const root = join(dir(), 'secrets');
    writeFileSecret(root, 'repo-shop', { token: 't0k' });
    const folder = writeFileSecret(root, 'repo-shop', { username: 'u', password: 'p' });
    expect(readFileSync(join(folder, 'password'), 'utf8')).toBe('p');
    expect(statSync(join(folder, 'password')).mode & 0o077).toBe(0);
    expect(statSync(folder).mode & 0o077).toBe(0);
    expect(() => statSync(join(folder, 'token'))).toThrow();
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });
});
