import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../worker/config.js';
import { temporalConnectionOptions } from '../../../worker/temporal-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-wcfg-tls-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('worker config: Temporal TLS and API key', () => {
  it('is plaintext by default', () => {
    const c = loadWorkerConfig(undefined, {});
    expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
    expect(temporalConnectionOptions(c.temporal)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('reads mTLS files and the server name from the file, for the worker and the client alike', () => {
    const ca = file('ca.pem', 'CA PEM');
    const crt = file('tls.crt', 'CERT PEM');
    const key = file('tls.key', 'KEY PEM');
    const cfg = file(
      'mtls.yaml',
      `temporal:\n  address: ns.acct.tmprl.cloud:7233\n  namespace: ns.acct\n  tls: {caFile: ${ca}, certFile: ${crt}, keyFile: ${key}, serverName: temporal.internal}\n`,
    );
    const c = loadWorkerConfig(cfg, {});
    expect(c.temporal.tls).toEqual({
      caFile: ca,
      certFile: crt,
      keyFile: key,
      serverName: 'temporal.internal',
    });
    const o = temporalConnectionOptions(c.temporal);
    expect(o.address).toBe('ns.acct.tmprl.cloud:7233');
    expect(o.tls?.serverNameOverride).toBe('temporal.internal');
    expect(Buffer.from(o.tls?.serverRootCACertificate ?? []).toString()).toBe('CA PEM');
    expect(Buffer.from(o.tls?.clientCertPair?.crt ?? []).toString()).toBe('CERT PEM');
    expect(Buffer.from(o.tls?.clientCertPair?.key ?? []).toString()).toBe('KEY PEM');
    expect(o.apiKey).toBeUndefined();
  });

  it('takes the same SLUICE_TEMPORAL_* variables as the CLI, over the file', () => {
    const cfg = file('env.yaml', 'temporal: {address: file:7233, tls: {serverName: from-file}}\n');
    const c = loadWorkerConfig(cfg, {
      SLUICE_TEMPORAL_ADDRESS: 'env:7233',
      SLUICE_TEMPORAL_NAMESPACE: 'prod',
      SLUICE_TEMPORAL_TLS_SERVER_NAME: 'from-env',
      SLUICE_TEMPORAL_TLS_CA: '/etc/ca.pem',
    });
    expect(c.temporal).toEqual({
      address: 'env:7233',
      namespace: 'prod',
      tls: { serverName: 'from-env', caFile: '/etc/ca.pem' },
    });
  });

  it('turns TLS on with an API key from the environment; TLS can be switched off without one', () => {
    const on = loadWorkerConfig(undefined, { SLUICE_TEMPORAL_API_KEY: 'k-123' });
    expect(on.temporal).toMatchObject({ tls: {}, apiKey: 'k-123' });
    expect(temporalConnectionOptions(on.temporal)).toEqual({
      address: '127.0.0.1:7233',
      tls: {},
      apiKey: 'k-123',
    });
    expect(loadWorkerConfig(file('off.yaml', 'temporal: {tls: false}\n'), {}).temporal.tls).toBeUndefined();
    const envOff = loadWorkerConfig(file('on.yaml', 'temporal: {tls: true}\n'), {
      SLUICE_TEMPORAL_TLS: 'false',
    });
    expect(envOff.temporal.tls).toBeUndefined();
    expect(loadWorkerConfig(undefined, { SLUICE_TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({});
  });

  it('refuses to send an API key without TLS: tls false in the file or the environment is a config error with a hint', () => {
    const keyFile = file('api-key-plain', 'k-file\n');
    const cases: [string | undefined, NodeJS.ProcessEnv, RegExp][] = [
      [
        file('off-env-key.yaml', 'temporal: {tls: false}\n'),
        { SLUICE_TEMPORAL_API_KEY: 'k-123' },
        /SLUICE_TEMPORAL_API_KEY.*temporal\.tls: false/,
      ],
      [
        file('off-file-key.yaml', `temporal: {tls: false, apiKeyFile: ${keyFile}}\n`),
        {},
        /temporal\.apiKeyFile.*temporal\.tls: false/,
      ],
      [
        undefined,
        { SLUICE_TEMPORAL_API_KEY: 'k-123', SLUICE_TEMPORAL_TLS: 'false' },
        /SLUICE_TEMPORAL_TLS=false/,
      ],
      [
        file('on-key.yaml', `temporal: {tls: true, apiKeyFile: ${keyFile}}\n`),
        { SLUICE_TEMPORAL_TLS: 'false' },
        /SLUICE_TEMPORAL_TLS=false/,
      ],
    ];
    for (const [cfg, env, names] of cases) {
      let err: Error | undefined;
      try {
        loadWorkerConfig(cfg, env);
      } catch (e) {
        err = e as Error;
      }
      expect(err?.name).toBe('WorkerConfigError');
      expect(err?.message).toMatch(names);
      expect(err?.message).toMatch(/never sent without TLS.*need TLS/);
      expect(err?.message).not.toContain('k-123');
    }
    // A hand-built config is refused where the connection options are made, too.
    expect(() => temporalConnectionOptions({ address: 'a:1', namespace: 'n', apiKey: 'k' })).toThrow(
      /never sent without TLS/,
    );
  });

  it('reads the API key from apiKeyFile when it connects; the environment wins', () => {
    const keyFile = file('api-key', 'from-file\n');
    const cfg = file('key.yaml', `temporal: {apiKeyFile: ${keyFile}}\n`);
    const c = loadWorkerConfig(cfg, {});
    expect(c.temporal).toMatchObject({ tls: {}, apiKeyFile: keyFile });
    expect(c.temporal.apiKey).toBeUndefined();
    expect(temporalConnectionOptions(c.temporal).apiKey).toBe('from-file');
    const env = loadWorkerConfig(cfg, { SLUICE_TEMPORAL_API_KEY: 'from-env' });
    expect(temporalConnectionOptions(env.temporal).apiKey).toBe('from-env');
    expect(() => temporalConnectionOptions({ ...c.temporal, apiKeyFile: file('empty', '\n') })).toThrow(
      /is empty/,
    );
  });

  it('refuses a certificate without its key, from the file or the environment, and bad values', () => {
    const cfg = file('half.yaml', 'temporal: {tls: {certFile: /x.crt}}\n');
    expect(() => loadWorkerConfig(cfg, {})).toThrow(/:1:\d+: temporal.tls: must have property keyFile/);
    expect(() => loadWorkerConfig(undefined, { SLUICE_TEMPORAL_TLS_KEY: '/x.key' })).toThrow(
      /needs both certFile and keyFile/,
    );
    expect(() => loadWorkerConfig(undefined, { SLUICE_TEMPORAL_TLS: 'yes' })).toThrow(/true or false/);
    expect(() => loadWorkerConfig(file('k.yaml', 'temporal: {apiKey: secret}\n'), {})).toThrow(
      /temporal.apiKey: unknown field/,
    );
  });

  it('names the PEM file it cannot read', () => {
    expect(() =>
      temporalConnectionOptions({ address: 'a:1', namespace: 'n', tls: { caFile: '/nope/ca.pem' } }),
    ).toThrow('temporal.tls.caFile /nope/ca.pem');
  });
});

describe('worker config: service settings', () => {
  it('defaults: no status server, 30s grace, env then files for secrets, no plugins', () => {
    const c = loadWorkerConfig(file('d.yaml', 'secretsDir: /etc/sluice/secrets\n'), {});
    expect(c.metrics).toBeUndefined();
    expect(c.shutdownGraceTime).toBe('30s');
    expect(c.secrets).toEqual([{ type: 'env' }, { type: 'files', dir: '/etc/sluice/secrets' }]);
    expect(c.plugins).toEqual({ renderers: [] });
  });

  it('reads metrics, grace time, plugin packages and ordered secret sources; SLUICE_METRICS_PORT wins', () => {
    const cfg = file(
      's.yaml',
      [
        'metrics: {host: 0.0.0.0, port: 9464, fleetCacheTtl: 5s}',
        'shutdownGraceTime: 2m',
        'plugins: {renderers: [sluice-renderer-jsonnet, "@acme/sluice-cue"], dir: /opt/sluice/plugins}',
        'secrets:',
        '  - {type: kubernetes, namespace: sluice-system}',
        '  - {type: files, dir: /var/run/secrets/sluice}',
        '  - {type: env}',
        '',
      ].join('\n'),
    );
    const c = loadWorkerConfig(cfg, {});
    expect(c.metrics).toEqual({ host: '0.0.0.0', port: 9464, fleetCacheTtl: '5s' });
    expect(c.shutdownGraceTime).toBe('2m');
    expect(c.plugins).toEqual({
      renderers: ['sluice-renderer-jsonnet', '@acme/sluice-cue'],
      dir: '/opt/sluice/plugins',
    });
    expect(c.secrets.map((s) => s.type)).toEqual(['kubernetes', 'files', 'env']);
    expect(loadWorkerConfig(cfg, { SLUICE_METRICS_PORT: '0' }).metrics).toEqual({
      host: '0.0.0.0',
      port: 0,
      fleetCacheTtl: '5s',
    });
    expect(loadWorkerConfig(undefined, { SLUICE_METRICS_PORT: '9100' }).metrics).toEqual({
      host: '127.0.0.1',
      port: 9100,
      fleetCacheTtl: '15s',
    });
    expect(() => loadWorkerConfig(undefined, { SLUICE_METRICS_PORT: 'http' })).toThrow(/not a port/);
    expect(loadWorkerConfig(file('m.yaml', 'metrics: {}\n'), {}).metrics).toEqual({
      host: '127.0.0.1',
      port: 9464,
      fleetCacheTtl: '15s',
    });
  });

  it('adds secretsDir (where `sluice repo add` writes) after the listed sources, once', () => {
    const both = loadWorkerConfig(
      file('both.yaml', 'secretsDir: /s\nsecrets: [{type: kubernetes, namespace: x}]\n'),
      {},
    );
    expect(both.secrets).toEqual([
      { type: 'kubernetes', namespace: 'x' },
      { type: 'files', dir: '/s' },
    ]);
    const listed = loadWorkerConfig(
      file('listed.yaml', 'secretsDir: /s\nsecrets: [{type: files, dir: /s}, {type: env}]\n'),
      {},
    );
    expect(listed.secrets).toEqual([{ type: 'files', dir: '/s' }, { type: 'env' }]);
  });

  it('rejects unknown secret source types and bad durations', () => {
    expect(() => loadWorkerConfig(file('vault.yaml', 'secrets: [{type: vault}]\n'), {})).toThrow(
      /:1:\d+: secrets\[0\].type: must be one of: env, files, kubernetes/,
    );
    expect(() => loadWorkerConfig(file('grace.yaml', 'shutdownGraceTime: soon\n'), {})).toThrow(
      /shutdownGraceTime: must be a duration/,
    );
  });
});
