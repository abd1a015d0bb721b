import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCa, ensureServerCert } from './openssl-ca.js';

/** The stack's own CA and one serving certificate for 127.0.0.1 and localhost, as PEM files. */
export interface ServingTls {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/** The TLS files in a pki dir, whether or not they exist yet (status reports them without creating them). */
export function servingTlsFiles(dir: string): ServingTls {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    cert: join(dir, 'serving.crt'),
    key: join(dir, 'serving.key'),
  };
}

/**
 * Creates (once) a CA and a serving certificate signed by it for the registry and the chart repository.
 * Kept apart from the cluster's CA (kube-pki.ts) so that trusting one does not mean trusting the other.
 */
export function ensureServingTls(dir: string): ServingTls {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tls = servingTlsFiles(dir);
  ensureCa(dir, { cert: tls.caCert, key: tls.caKey, commonName: 'sluice-dev-serving-ca' });
  ensureServerCert(
    dir,
    { cert: tls.caCert, key: tls.caKey },
    {
      cert: tls.cert,
      key: tls.key,
      commonName: '127.0.0.1',
      name: 'serving',
      extensions: 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    },
  );
  return tls;
}
