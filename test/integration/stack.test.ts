import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { processTable } from '../../scripts/stack/index.js';
import { stackPaths } from '../../scripts/stack/paths.js';

const config = loadStackConfig();
const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['bin/sluice.js', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('sluice dev', () => {
  it('status -o json reports every component healthy with its endpoints', () => {
    const status = JSON.parse(cli('dev', 'status', '-o', 'json'));
    expect(status).toEqual({
      temporal: {
        mode: 'dev',
        address: `127.0.0.1:${config.ports.temporal}`,
        ui: `http://127.0.0.1:${config.ports.temporalUi}`,
        healthy: true,
      },
      kubernetes: {
        kubeconfig: stackPaths(config).kubeconfig,
        nodes: expect.any(Number),
        // Which kube-controller-manager runs: its defaults, or `dev up --fast-controller`.
        controller: 'default',
        healthy: true,
      },
      prometheus: { url: `http://127.0.0.1:${config.ports.prometheus}`, healthy: true },
      git: { url: `http://127.0.0.1:${config.ports.git}`, healthy: true },
      registry: {
        url: `https://127.0.0.1:${config.ports.registry}`,
        ociUrl: `oci://127.0.0.1:${config.ports.registry}`,
        caFile: join(config.dataDir, 'pki', 'ca.crt'),
        credentialsFile: join(config.dataDir, 'registry', 'credentials.json'),
        username: 'sluice',
        healthy: true,
      },
      chartRepo: {
        url: `https://127.0.0.1:${config.ports.chartRepo}`,
        caFile: join(config.dataDir, 'pki', 'ca.crt'),
        credentialsFile: join(config.dataDir, 'chart-repo', 'credentials.json'),
        username: 'sluice',
        healthy: true,
      },
      tokenRegistry: {
        url: `https://127.0.0.1:${config.ports.tokenRegistry}`,
        ociUrl: `oci://127.0.0.1:${config.ports.tokenRegistry}`,
        realm: `https://127.0.0.1:${config.ports.tokenServer}/token`,
        caFile: join(config.dataDir, 'pki', 'ca.crt'),
        credentialsFile: join(config.dataDir, 'token-registry', 'credentials.json'),
        username: 'sluice',
        healthy: true,
      },
    });
    // Where the credentials are, never what they are.
    expect(JSON.stringify(status)).not.toContain(
      JSON.parse(readFileSync(status.registry.credentialsFile, 'utf8')).password,
    );
    expect(status.kubernetes.nodes).toBeGreaterThanOrEqual(2);
  });

  it('kubectl with the written kubeconfig lists at least two Ready nodes', () => {
    const out = execFileSync(
      join(config.toolsBin, 'kubectl'),
      ['--kubeconfig', stackPaths(config).kubeconfig, 'get', 'nodes', '--no-headers'],
      {
        encoding: 'utf8',
      },
    );
    const ready = out.split('\n').filter((l) => /\sReady\s/.test(l));
    expect(ready.length).toBeGreaterThanOrEqual(2);
  });

  it('a second up while running says so and changes nothing', () => {
    const pidsBefore = processTable(config);
    expect(pidsBefore.every((p) => p.running)).toBe(true);
    const out = execFileSync(process.execPath, ['bin/sluice.js', 'dev', 'up'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toContain('healthy');
    const pidsAfter = processTable(config);
    expect(pidsAfter).toEqual(pidsBefore);
    const pidFile = readFileSync(stackPaths(config).pidFile('kube-apiserver'), 'utf8').trim();
    expect(Number(pidFile)).toBe(pidsBefore.find((p) => p.name === 'kube-apiserver')?.pid);
  });
});
