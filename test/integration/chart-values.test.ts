// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${var} in chart templates is the postBuild syntax under test
// Charts with values from the cluster and from SOPS-encrypted files in Git, synced by a real `sluice worker`
// process (its output captured) from the stack's HTTPS chart repository and OCI registry: Helm valuesFrom a
// ConfigMap and a Secret, `$values/` value files and directory sources decrypted with the real sops, and
// postBuild substitution on a chart's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncUpdate } from '../../workflows/application/messages.js';
import {
  chartServers,
  packageChart,
  pushToRegistry,
  pushToRepo,
  uniqueChartName,
} from '../helpers/charts.js';
import { ageKeygen, sopsEncrypt } from '../helpers/sops.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { type SecretWorker, startSecretWorker } from './helpers/secret-worker.js';

const suffix = Date.now().toString(36);
const servers = chartServers();
const key = ageKeygen();
const stranger = ageKeygen();
// Plaintexts that must reach the cluster and nothing else: not history, not the worker's output.
const fromSecret = `vf-${suffix}-token`;
const encryptedValue = `enc-${suffix}-values`;
const encryptedManifest = `enc-${suffix}-manifest`;
const substituted = `sub-${suffix}-secret`;
const plaintexts = [fromSecret, encryptedValue, encryptedManifest, substituted];

/** One Secret showing the values the chart was given, and a ConfigMap whose text postBuild substitutes. */
const chartFiles = {
  'values.yaml': 'message: from the chart\npassword: chart-default\nauth: {token: none}\n',
  'templates/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: web
stringData:
  message: {{ .Values.message | quote }}
  password: {{ .Values.password | quote }}
  token: {{ .Values.auth.token | quote }}
`,
  'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-\${CLUSTER:=local}
data:
  region: \${REGION}
  substituted: \${SUBST:=none}
  chart: {{ .Chart.Name | quote }}
`,
};

describe('chart values from the cluster and from encrypted files in Git', () => {
  const kube = testKube();
  const repoChart = uniqueChartName('cv');
  const ociChart = uniqueChartName('cv');
  const ociRepo = `${servers.registry.ociUrl}/chart-values-${suffix}`;
  const values = servedRepo('chart-values-sops');
  let w: SecretWorker;

  beforeAll(async () => {
    await pushToRepo(packageChart(chartFiles, { name: repoChart, version: '1.0.0' }));
    pushToRegistry(packageChart(chartFiles, { name: ociChart, version: '1.0.0' }), ociRepo);
    values.commit({
      'env/secrets.enc.yaml': sopsEncrypt('secrets.yaml', `password: ${encryptedValue}\n`, key.recipient),
      'env/wrong.enc.yaml': sopsEncrypt('wrong.yaml', 'password: x\n', stranger.recipient),
      'manifests/db.yaml': sopsEncrypt(
        'db.yaml',
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${encryptedManifest}\n`,
        key.recipient,
        '^(data|stringData)$',
      ),
    });
    w = await startSecretWorker({
      name: 'chart-values',
      secrets: {
        'sops-age': { 'identity.agekey': key.secret },
        'chart-repo': { username: servers.repo.username, password: servers.repo.password },
        registry: { username: servers.registry.username, password: servers.registry.password },
      },
      extraConfig: [
        'secretAccess: [{name: sops-age, projects: [default]}]',
        'helmRepositories:',
        `  - {url: "${servers.repo.url}", secretRef: {name: chart-repo}, caFile: "${servers.repo.caFile}"}`,
        `  - {url: "${servers.registry.ociUrl}", secretRef: {name: registry}, caFile: "${servers.registry.caFile}"}`,
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await w?.stop();
  });

  const sync = (name: string, spec: Record<string, unknown>, before?: (ns: string) => Promise<void>) =>
    w.syncOnce(`${name}-${suffix}`, spec, before);
  const decryption = { provider: 'sops', secretRef: { name: 'sops-age' } };
  const secretData = async (namespace: string, name: string) => {
    const s = await kube.core.readNamespacedSecret({ namespace, name });
    return Object.fromEntries(
      Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  };

  it('a chart from the HTTPS repository takes valuesFrom a ConfigMap and a Secret (targetPath), re-read by each sync', async () => {
    const { ns, handle, result } = await sync(
      'cv-repo',
      {
        source: {
          repoURL: servers.repo.url,
          chart: repoChart,
          targetRevision: '1.0.0',
          render: {
            plugin: 'helm',
            valuesFrom: [
              { kind: 'ConfigMap', name: 'web-values' },
              { kind: 'Secret', name: 'web-auth', valuesKey: 'token', targetPath: 'auth.token' },
            ],
          },
        },
        postBuild: { substitute: { REGION: 'eu-1' } },
      },
      async (ns) => {
        await kube.core.createNamespacedConfigMap({
          namespace: ns,
          body: { metadata: { name: 'web-values' }, data: { 'values.yaml': 'message: from a configmap\n' } },
        });
        await kube.core.createNamespacedSecret({
          namespace: ns,
          body: { metadata: { name: 'web-auth' }, stringData: { token: fromSecret } },
        });
      },
    );
    expect(result, result.message).toMatchObject({ phase: 'Succeeded', revision: '1.0.0' });
    expect(await secretData(ns, 'web')).toEqual({
      message: 'from a configmap',
      password: 'chart-default',
      token: fromSecret,
    });
    // postBuild on a chart's output: the default and the inline variable.
    const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-local' });
    expect(cm.data).toEqual({ region: 'eu-1', substituted: 'none', chart: repoChart });
    // Same chart version, changed ConfigMap: the next sync renders afresh and applies the new value.
    await kube.core.replaceNamespacedConfigMap({
      namespace: ns,
      name: 'web-values',
      body: {
        metadata: { name: 'web-values' },
        data: { 'values.yaml': 'message: changed in the cluster\n' },
      },
    });
    const again = await handle.executeUpdate(syncUpdate, { args: [{}] });
    expect(again, again.message).toMatchObject({ phase: 'Succeeded', revision: '1.0.0' });
    expect((await secretData(ns, 'web')).message).toBe('changed in the cluster');
  });

  it('a multi-source app: OCI chart + $values/ SOPS file + an encrypted directory source, valuesFrom and substituteFrom', async () => {
    const { ns, result } = await sync(
      'cv-multi',
      {
        sources: [
          { repoURL: values.url, targetRevision: 'main', ref: 'values' },
          {
            repoURL: ociRepo,
            chart: ociChart,
            targetRevision: '1.0.0',
            render: {
              plugin: 'helm',
              valueFiles: ['$values/env/secrets.enc.yaml'],
              valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }],
            },
          },
          // The same checkout as the ref, rendered as a directory: one private copy serves both.
          { repoURL: values.url, targetRevision: 'main', path: 'manifests' },
        ],
        decryption,
        postBuild: {
          substitute: { REGION: 'us-2' },
          substituteFrom: [{ kind: 'Secret', name: 'vars' }],
        },
      },
      async (ns) => {
        await kube.core.createNamespacedConfigMap({
          namespace: ns,
          body: { metadata: { name: 'web-values' }, data: { 'values.yaml': 'message: multi configmap\n' } },
        });
        await kube.core.createNamespacedSecret({
          namespace: ns,
          body: { metadata: { name: 'vars' }, stringData: { CLUSTER: 'blue', SUBST: substituted } },
        });
      },
    );
    expect(result, result.message).toMatchObject({ phase: 'Succeeded' });
    expect(await secretData(ns, 'web')).toEqual({
      message: 'multi configmap',
      password: encryptedValue,
      token: 'none',
    });
    expect(await secretData(ns, 'db')).toEqual({ password: encryptedManifest });
    const cm = await kube.core.readNamespacedConfigMap({ namespace: ns, name: 'web-blue' });
    expect(cm.data).toEqual({ region: 'us-2', substituted, chart: ociChart });
  });

  it('a $values/ file for another key fails the sync naming the file; a missing valuesFrom names the source', async () => {
    const wrong = await sync('cv-wrong', {
      sources: [
        {
          repoURL: ociRepo,
          chart: ociChart,
          targetRevision: '1.0.0',
          render: { plugin: 'helm', valueFiles: ['$values/env/wrong.enc.yaml'] },
        },
        { repoURL: values.url, targetRevision: 'main', ref: 'values' },
      ],
      decryption,
      postBuild: { substitute: { REGION: 'x' } },
    });
    expect(wrong.result.phase).toBe('Failed');
    expect(wrong.result.message).toMatch(
      /\$values\/env\/wrong\.enc\.yaml: cannot be decrypted with the age keys in secret "sops-age"/,
    );
    expect(wrong.result.message).toContain(stranger.recipient);

    const missing = await sync('cv-missing', {
      sources: [
        { repoURL: values.url, targetRevision: 'main', ref: 'values' },
        {
          repoURL: servers.repo.url,
          chart: repoChart,
          targetRevision: '1.0.0',
          render: { plugin: 'helm', valuesFrom: [{ kind: 'ConfigMap', name: 'absent' }] },
        },
      ],
      postBuild: { substitute: { REGION: 'x' } },
    });
    expect(missing.result.phase).toBe('Failed');
    expect(missing.result.message).toMatch(
      /spec\.sources\[1\]\.render\.valuesFrom\[0\]: ConfigMap cv-missing-\w+\/absent does not exist/,
    );
  });

  it('no plaintext in any workflow history of these apps, nor in the worker output', async () => {
    // The search reaches the failures' messages: the wrong-key sync's names the file's (public) recipient.
    await w.expectNoPlaintext([...plaintexts, key.secret, stranger.secret], stranger.recipient);
  });
});
