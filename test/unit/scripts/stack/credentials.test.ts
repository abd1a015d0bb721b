import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCredentials, readCredentials } from '../../../../scripts/stack/credentials.js';

describe('stack credentials', () => {
  it('are random, created once in a 0600 file, and the same on every later call', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-creds-')), 'sub', 'credentials.json');
    const first = ensureCredentials(file);
    expect(first.username).toBe('sluice');
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureCredentials(file)).toEqual(first);
    const other = ensureCredentials(join(mkdtempSync(join(tmpdir(), 'sluice-creds-')), 'c.json'));
    expect(other.password).not.toBe(first.password);
  });

  it('tightens a file copied in readable by others, and rejects one missing a field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-creds-')), 'c.json');
    writeFileSync(file, JSON.stringify({ username: 'u', password: 'p', token: 't' }), { mode: 0o644 });
    expect(ensureCredentials(file)).toEqual({ username: 'u', password: 'p', token: 't' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, JSON.stringify({ username: 'u', password: 'p' }));
    expect(() => readCredentials(file)).toThrow('expected {username, password, token}');
  });
});
