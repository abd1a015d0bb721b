import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretNotFoundError } from '../../../../activities/errors.js';
import {
  envSecretSource,
  fileSecretSource,
  SecretStore,
} from '../../../../activities/secrets/secret-store.js';

describe('SecretStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-secrets-'));
  mkdirSync(join(dir, 'git-creds'));
  writeFileSync(join(dir, 'git-creds', 'token'), 'from-file\n');
  const store = new SecretStore([
    envSecretSource({ SLUICE_SECRET_GIT_CREDS_TOKEN: 'from-env', SLUICE_SECRET_SLACK_TOKEN: 'xoxb' }),
    fileSecretSource(dir),
  ]);

  it('takes the first source that has the secret, keys lower-cased from the environment', async () => {
    expect(await store.resolve({ name: 'git-creds' })).toEqual({ token: 'from-env' });
    expect(await store.resolve({ name: 'slack', key: 'token' })).toEqual({ token: 'xoxb' });
  });

  it('reads mounted-secret files when the environment has none', async () => {
    const filesOnly = new SecretStore([envSecretSource({}), fileSecretSource(dir)]);
    expect(await filesOnly.resolve({ name: 'git-creds' })).toEqual({ token: 'from-file' });
  });

  it('names the missing secret and where it looked, and a missing key', async () => {
    await expect(store.resolve({ name: 'nope' })).rejects.toThrow(SecretNotFoundError);
    await expect(store.resolve({ name: 'nope' })).rejects.toThrow(
      /secret "nope" not found \(looked in: environment .*, files under/,
    );
    await expect(store.resolve({ name: 'slack', key: 'password' })).rejects.toThrow('has no key "password"');
  });

  it('does not treat a path as a secret name', async () => {
    await expect(new SecretStore([fileSecretSource(dir)]).resolve({ name: '../etc' })).rejects.toThrow(
      SecretNotFoundError,
    );
  });
});
