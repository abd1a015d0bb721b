// The stack's certificates, made with the machine's openssl: a CA, and server certificates it signs. Used for
// the cluster's API server (kube-pki.ts) and for the registry and chart repository (serving-tls.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const TEN_YEARS = '3650';

/** Creates (once) a self-signed CA valid for ten years. */
export function ensureCa(dir: string, ca: { cert: string; key: string; commonName: string }): void {
  if (existsSync(ca.cert)) return;
  openssl(
    dir,
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', TEN_YEARS].concat([
      '-subj',
      `/CN=${ca.commonName}`,
      '-keyout',
      ca.key,
      '-out',
      ca.cert,
    ]),
  );
}

/**
 * Creates (once) a server certificate signed by the CA, for the names in `extensions` (an openssl extfile
 * body: Go's TLS checks subjectAltName, not the CN). `name` names the csr and extfile kept beside it.
 */
export function ensureServerCert(
  dir: string,
  ca: { cert: string; key: string },
  server: { cert: string; key: string; commonName: string; name: string; extensions: string },
): void {
  if (existsSync(server.cert)) return;
  const ext = join(dir, `${server.name}.ext`);
  writeFileSync(ext, server.extensions);
  const csr = join(dir, `${server.name}.csr`);
  openssl(
    dir,
    ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', server.key].concat([
      '-subj',
      `/CN=${server.commonName}`,
      '-out',
      csr,
    ]),
  );
  openssl(
    dir,
    ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'].concat([
      '-days',
      TEN_YEARS,
      '-out',
      server.cert,
      '-extfile',
      ext,
    ]),
  );
}
