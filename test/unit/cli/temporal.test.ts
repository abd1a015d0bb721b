import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../../cli/errors.js';
import { connectionOptions } from '../../../cli/temporal.js';

describe('Temporal connection options', () => {
  const base = { temporalAddress: 'temporal.example.com:7233', namespace: 'prod' };

  it('is plain by default', () => {
    expect(connectionOptions(base)).toEqual({ address: base.temporalAddress, connectTimeout: 2000 });
  });

  it('turns TLS on for an API key', () => {
    expect(connectionOptions({ ...base, apiKey: 'k' })).toMatchObject({ tls: true, apiKey: 'k' });
  });

  it('refuses to send an API key over plaintext: --tls false or SLUICE_TEMPORAL_TLS=false is a usage error with a hint', () => {
    const refused = (o: Parameters<typeof connectionOptions>[0], env: NodeJS.ProcessEnv) => {
      try {
        connectionOptions(o, env);
      } catch (e) {
        return e as CliError;
      }
      throw new Error('connected');
    };
    const flag = refused({ ...base, apiKey: 'k-secret', tls: false }, {});
    expect(flag).toBeInstanceOf(CliError);
    expect(flag.exitCode).toBe(ExitCode.usage);
    expect(flag.message).toMatch(/never sent without TLS.*--tls false/);
    expect(flag.hint).toMatch(/need TLS/);
    expect(flag.message).not.toContain('k-secret');
    const env = refused({ ...base, apiKey: 'k' }, { SLUICE_TEMPORAL_TLS: 'false' });
    expect(env.message).toMatch(/SLUICE_TEMPORAL_TLS=false/);
    // The flag wins over the environment either way.
    expect(
      connectionOptions({ ...base, apiKey: 'k', tls: true }, { SLUICE_TEMPORAL_TLS: 'false' }),
    ).toMatchObject({
      tls: true,
    });
  });

  it('takes --tls / SLUICE_TEMPORAL_TLS: true for system CAs, false for plaintext, empty as unset', () => {
    expect(connectionOptions({ ...base, tls: true }, {}).tls).toBe(true);
    expect(connectionOptions(base, { SLUICE_TEMPORAL_TLS: 'true' }).tls).toBe(true);
    expect(connectionOptions(base, { SLUICE_TEMPORAL_TLS: 'false' }).tls).toBeUndefined();
    expect(connectionOptions({ ...base, apiKey: 'k' }, { SLUICE_TEMPORAL_TLS: '' }).tls).toBe(true);
    expect(() => connectionOptions(base, { SLUICE_TEMPORAL_TLS: 'yes' })).toThrow(/true or false/);
  });

  it('reads client certificate, key and CA for mTLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
    for (const f of ['crt', 'key', 'ca']) writeFileSync(join(dir, f), `${f}-pem`);
    const o = connectionOptions({
      ...base,
      tlsCert: join(dir, 'crt'),
      tlsKey: join(dir, 'key'),
      tlsCa: join(dir, 'ca'),
    });
    const tls = o.tls as { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate: Buffer };
    expect(tls.clientCertPair.crt.toString()).toBe('crt-pem');
    expect(tls.clientCertPair.key.toString()).toBe('key-pem');
    expect(tls.serverRootCACertificate.toString()).toBe('ca-pem');
  });

  it('rejects a certificate without its key, and unreadable files, as usage errors', () => {
    expect(() => connectionOptions({ ...base, tlsCert: '/nope' })).toThrow(/go together/);
    expect(() => connectionOptions({ ...base, tlsCert: '/nope', tlsKey: '/nope' })).toThrow(/cannot read/);
  });
});
