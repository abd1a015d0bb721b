import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionOptions } from '../../../cli/temporal.js';

describe('Temporal connection options', () => {
  const base = { temporalAddress: 'temporal.example.com:7233', namespace: 'prod' };

  it('is plain by default', () => {
    expect(connectionOptions(base)).toEqual({ address: base.temporalAddress, connectTimeout: '10s' });
  });

  it('turns TLS on for an API key', () => {
    expect(connectionOptions({ ...base, apiKey: 'k' })).toMatchObject({ tls: true, apiKey: 'k' });
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
