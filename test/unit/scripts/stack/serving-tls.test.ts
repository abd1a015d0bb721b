import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureServingTls } from '../../../../scripts/stack/serving-tls.js';

describe('ensureServingTls', () => {
  it('makes a CA and a serving certificate for 127.0.0.1 and localhost that the CA verifies, once', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sluice-tls-')), 'pki');
    const tls = ensureServingTls(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const verify = execFileSync('openssl', ['verify', '-CAfile', tls.caCert, tls.cert], { encoding: 'utf8' });
    expect(verify).toContain(': OK');
    const text = execFileSync('openssl', ['x509', '-in', tls.cert, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/IP Address:127\.0\.0\.1, DNS:localhost/);
    expect(text).toContain('TLS Web Server Authentication');
    const before = readFileSync(tls.cert, 'utf8');
    ensureServingTls(dir);
    expect(readFileSync(tls.cert, 'utf8')).toBe(before);
  });
});
