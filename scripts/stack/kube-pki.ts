import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCa, ensureServerCert } from './openssl-ca.js';

/** Files of the local cluster's certificate authority, serving certificate, service-account keys and token. */
export interface KubePki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  saKey: string;
  saPub: string;
  tokenFile: string;
  token: string;
}

/** Creates (once) a CA, an API-server certificate for 127.0.0.1, service-account keys and an admin token. */
export function ensureKubePki(dir: string): KubePki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => join(dir, name);
  const pki: KubePki = {
    caCert: f('ca.crt'),
    caKey: f('ca.key'),
    serverCert: f('apiserver.crt'),
    serverKey: f('apiserver.key'),
    saKey: f('sa.key'),
    saPub: f('sa.pub'),
    tokenFile: f('tokens.csv'),
    token: '',
  };
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ensureCa(dir, { cert: pki.caCert, key: pki.caKey, commonName: 'sluice-dev-ca' });
  ensureServerCert(
    dir,
    { cert: pki.caCert, key: pki.caKey },
    {
      cert: pki.serverCert,
      key: pki.serverKey,
      commonName: 'kube-apiserver',
      name: 'apiserver',
      extensions:
        'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n',
    },
  );
  if (!existsSync(pki.saKey)) {
    openssl('genrsa', '-out', pki.saKey, '2048');
    openssl('rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub);
  }
  if (!existsSync(pki.tokenFile)) {
    // The token lives only in the data dir (mode 0600), never in Git.
    writeFileSync(
      pki.tokenFile,
      `${randomBytes(24).toString('hex')},sluice-admin,sluice-admin,"system:masters"\n`,
      {
        mode: 0o600,
      },
    );
  }
  pki.token = readFileSync(pki.tokenFile, 'utf8').split(',')[0] ?? '';
  return pki;
}
