import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../worker/config.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-wcfg-')), 'worker.yaml');
  writeFileSync(path, content);
  return path;
}

const entry = (tokenRealms: string) =>
  `helmRepositories:\n  - url: oci://registry-1.docker.io/acme\n    secretRef: { name: hub }\n    tokenRealms: [${tokenRealms}]\n`;

describe('worker config helmRepositories.tokenRealms', () => {
  it('normalises each realm so it compares with the realm a registry sends', () => {
    const repos = loadWorkerConfig(file(entry('"https://Auth.Docker.IO:443/token"')), {}).trust
      .helmRepositories;
    expect(repos[0]?.tokenRealms).toEqual(['https://auth.docker.io/token']);
  });

  it('refuses plain http, credentials and queries in a realm', () => {
    expect(() => loadWorkerConfig(file(entry('"http://auth.docker.io/token"')), {})).toThrow(/tokenRealms/);
    expect(() => loadWorkerConfig(file(entry('"https://u:p@auth.docker.io/token"')), {})).toThrow(
      /tokenRealms\[0\] must be an https:\/\/ URL without credentials/,
    );
    expect(() => loadWorkerConfig(file(entry('"https://auth.docker.io/token?x=1"')), {})).toThrow(
      /tokenRealms\[0\]/,
    );
  });
});
