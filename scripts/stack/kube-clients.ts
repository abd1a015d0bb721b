import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Users the benchmark gives their own credentials, so the API server's audit log tells their requests apart. */
export const benchClientUsers = ['bench-floor', 'bench-kubectl', 'bench-sluice'] as const;

/** One API client's identity: its certificate, key and a kubeconfig that uses them. */
export interface KubeClient {
  user: string;
  cert: string;
  key: string;
  kubeconfig: string;
}

/**
 * Creates (once) a client certificate signed by the stack's CA with CN=<user> (the API server's user name)
 * and O=system:masters (allowed everything, like the admin token), and a kubeconfig for it beside the admin one.
 */
export function ensureKubeClient(kubeDir: string, server: string, user: string): KubeClient {
  const pki = join(kubeDir, 'pki');
  const client: KubeClient = {
    user,
    cert: join(pki, `${user}.crt`),
    key: join(pki, `${user}.key`),
    kubeconfig: join(kubeDir, `${user}.kubeconfig`),
  };
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
  if (!existsSync(client.cert)) {
    const csr = join(pki, `${user}.csr`);
    openssl('genrsa', '-out', client.key, '2048');
    openssl('req', '-new', '-key', client.key, '-subj', `/O=system:masters/CN=${user}`, '-out', csr);
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(pki, 'ca.crt'),
      '-CAkey',
      join(pki, 'ca.key'),
      '-CAcreateserial',
      '-days',
      '3650',
      '-out',
      client.cert,
    );
  }
  writeFileSync(
    client.kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: sluice-dev
  cluster:
    server: ${server}
    certificate-authority: ${join(pki, 'ca.crt')}
users:
- name: ${user}
  user:
    client-certificate: ${client.cert}
    client-key: ${client.key}
contexts:
- name: ${user}
  context: {cluster: sluice-dev, user: ${user}}
current-context: ${user}
`,
    { mode: 0o600 },
  );
  return client;
}
