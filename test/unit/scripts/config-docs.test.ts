import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDocs, configKeys } from '../../../scripts/config-docs.js';

describe('docs/config.md', () => {
  it('is what `npm run gen:config-docs` writes from the schema (run it after changing worker/config-schema.ts)', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/config.md'), 'utf8');
    expect(doc).toBe(configDocs());
  });

  it('describes every key, each once', () => {
    const keys = configKeys();
    expect(keys.filter((k) => !k.description).map((k) => k.key)).toEqual([]);
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    expect(keys.map((k) => k.key)).toEqual(
      expect.arrayContaining(['temporal.apiKeyFile', 'secrets[].namespace', 'repositories[].secretRef.name']),
    );
  });
});
