// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${var} in manifests is the postBuild syntax under test
// SOPS-encrypted sources, Helm valuesFrom and Flux postBuild substitution, synced by a real `sluice worker`
// process (its output captured) on the stack; files encrypted here with the real sops and age-keygen keys.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageKeygen, sopsEncrypt } from '../helpers/sops.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { type SecretWorker, startSecretWorker } from './helpers/secret-worker.js';

const suffix = Date.now().toString(36);
const key = ageKeygen();
const stranger = ageKeygen();
// Plaintexts that must reach the cluster and nothing else: not history, not the worker's output.
const password = `pw-${suffix}-directory`;
const token = `tok-${suffix}-generator`;
const helmPassword = `helm-${suffix}-values`;
const fromSecret = `vf-${suffix}-secret`;
const substituted = `sub-${suffix}-secret`;
const plaintexts = [password, token, helmPassword, fromSecret, substituted];
const secretYaml = (name: string, value: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: ${value}\n`;

describe('SOPS decryption, valuesFrom and postBuild', () => {
  const repo = servedRepo('sops');
  const kube = testKube();
  let w: SecretWorker;

  beforeAll(async () => {
    repo.commit({
      'plain/secret.yaml': sopsEncrypt(
        'secret.yaml',
        secretYaml('db', password),
        key.recipient,
        '^(data|stringData)$',
      ),
      'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n',
      'wrongkey/secret.yaml': sopsEncrypt('secret.yaml', secretYaml('db', password), stranger.recipient),
      'kust/kustomization.yaml': 'secretGenerator:\n- name: creds\n  envs: [creds.env]\n',
      'kust/creds.env': sopsEncrypt('creds.env', `TOKEN=${token}\n`, key.recipient),
      'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
      'chart/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  pw: {{ .Values.pw | quote }}\n  greeting: {{ .Values.greeting | quote }}\n  token: {{ .Values.auth.token | quote }}\n',
      'chart/secrets.yaml': sopsEncrypt('secrets.yaml', `pw: ${helmPassword}\n`, key.recipient),
      'subst/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-${CLUSTER}\ndata:\n  region: ${REGION:=eu-west-1}\n  secret: ${SECRET_VALUE}\n  inline: ${INLINE}\n',
      'undefined/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\ndata:\n  v: ${NOT_SET}\n',
    });
    // A symlink to a file outside the repository, named as an encrypted value file.
    symlinkSync('/etc/passwd', join(repo.work, 'chart/leak.yaml'));
    repo.commit({}, 'symlink');
    w = await startSecretWorker({
      name: 'sops',
      secrets: {
        'sops-age': { 'identity.agekey': key.secret },
        'ungranted-age': { 'identity.agekey': key.secret },
      },
      extraConfig: ['secretAccess: [{name: sops-age, projects: [default]}]'],
    });
  }, 120_000);

  afterAll(async () => {
    await w?.stop();
  });

  const sync = async (
    name: string,
    spec: Record<string, unknown>,
    before?: (ns: string) => Promise<void>,
  ) => {
    const { source, ...rest } = spec as { source: Record<string, unknown> };
    const { ns, result } = await w.syncOnce(
      `${name}-${suffix}`,
      { source: { repoURL: repo.url, targetRevision: 'main', ...source }, ...rest },
      before,
    );
    return { ns, result };
  };
  const decryption = { provider: 'sops', secretRef: { name: 'sops-age' } };
  const configMap = (ns: string, name: string, data: Record<string, string>) =>
    kube.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name }, data } });
  const secret = (ns: string, name: string, stringData: Record<string, string>) =>
    kube.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name }, stringData } });

  it('a SOPS-encrypted Secret syncs decrypted', async () => {
    const { ns, result } = await sync('sops-dir', { source: { path: 'plain' }, decryption });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded' });
    const s = await kube.core.readNamespacedSecret({ namespace: ns, name: 'db' });
    expect(Buffer.from(s.data?.password ?? '', 'base64').toString()).toBe(password);
  });

  it('kustomize: an encrypted secretGenerator env file', async () => {
    const { ns, result } = await sync('sops-kust', { source: { path: 'kust' }, decryption });
    expect(result, result.message).toMatchObject({ phase: 'Succeeded' });
    const list = await kube.core.listNamespacedSecret({ namespace: ns });
    const creds = list.items.find((i) => i.metadata?.name?.startsWith('creds-'));
    expect(Buffer.from(creds?.data?.TOKEN ?? '', 'base64').toString()).toBe(token);
  });

  it('helm: an encrypted value file, then valuesFrom a ConfigMap and a Secret (targetPath)', async () => {
    const { ns, result } = await sync(
      'sops-helm',
      {
        source: {
          path: 'chart',
          render: {
            plugin: 'helm',
            valueFiles: ['secrets.yaml'],
            valuesFrom: [
              { kind: 'ConfigMap', name: 'shop-values' },
              { kind: 'Secret', name: 'shop-auth', valuesKey: 'token', targetPath: 'auth.token' },
              { kind: 'ConfigMap', name: 'absent', optional: true },
            ],
            values: { greeting: 'inline wins' },
          },
        },
        decryption,
      },
      async (ns) => {
        await configMap(ns, 'shop-values', { 'values.yaml': 'greeting: from configmap\npw: overridden\n' });
        await secret(ns, 'shop-auth', { token: fromSecret });
      },
    );
    expect(result, result.message).toMatchObject({ phase: 'Succeeded' });
    const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'shop' });
    // valueFiles < valuesFrom < values, as Flux orders them.
    expect(cm.data).toEqual({ pw: 'overridden', greeting: 'inline wins', token: fromSecret });
  });

  it('postBuild: substitute and substituteFrom a ConfigMap and a Secret, with a default', async () => {
    const { ns, result } = await sync(
      'sops-subst',
      {
        source: { path: 'subst' },
        postBuild: {
          substitute: { INLINE: 'inline' },
          substituteFrom: [
            { kind: 'ConfigMap', name: 'vars' },
            { kind: 'Secret', name: 'secret-vars' },
          ],
        },
      },
      async (ns) => {
        await configMap(ns, 'vars', { CLUSTER: 'blue', INLINE: 'loses' });
        await secret(ns, 'secret-vars', { SECRET_VALUE: substituted });
      },
    );
    expect(result, result.message).toMatchObject({ phase: 'Succeeded' });
    const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-blue' });
    expect(cm.data).toEqual({ region: 'eu-west-1', secret: substituted, inline: 'inline' });
  });

  it('failures name the file or variable: wrong key, undefined variable, ungranted secret, symlink out of the repo', async () => {
    const wrong = await sync('sops-wrong', { source: { path: 'wrongkey' }, decryption });
    expect(wrong.result.phase).toBe('Failed');
    expect(wrong.result.message).toMatch(
      /wrongkey\/secret\.yaml: cannot be decrypted with the age keys in secret "sops-age"/,
    );
    expect(wrong.result.message).toContain(stranger.recipient);

    const undef = await sync('sops-undef', { source: { path: 'undefined' }, postBuild: { substitute: {} } });
    expect(undef.result.phase).toBe('Failed');
    expect(undef.result.message).toMatch(/ConfigMap \S*u: variable NOT_SET is not defined/);

    const ungranted = await sync('sops-ungranted', {
      source: { path: 'plain' },
      decryption: { provider: 'sops', secretRef: { name: 'ungranted-age' } },
    });
    expect(ungranted.result.phase).toBe('Failed');
    expect(ungranted.result.message).toMatch(/secret "ungranted-age" is not granted to Project "default"/);

    const link = await sync('sops-link', {
      source: { path: 'chart', render: { plugin: 'helm', valueFiles: ['leak.yaml'] } },
      decryption,
    });
    expect(link.result.phase).toBe('Failed');
    expect(link.result.message).toMatch(/chart\/leak\.yaml/);
    expect(link.result.message).not.toMatch(/root:x:0/);
  });

  it('no plaintext in any workflow history of these apps, nor in the worker output', async () => {
    // The search reaches the failures' messages: the wrong-key sync's names the file's (public) recipient.
    await w.expectNoPlaintext([...plaintexts, key.secret, stranger.secret], stranger.recipient);
  });
});
