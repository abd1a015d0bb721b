import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubernetesObject, V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { loadWorkerConfig } from '../../worker/config.js';
import { testKube } from './helpers/kube.js';

const run = promisify(execFile);

// deploy/helm/sluice: lint, render with default and with every optional part, and a server-side dry run
// on the stack's API server (validation, defaulting, RBAC and Pod Security admission). The stack has no
// prometheus-operator CRDs, so the dry run renders with serviceMonitor off, and the test checks that the
// chart then omits it.
describe('deploy/helm/sluice', () => {
  const stack = loadStackConfig();
  const helm = join(stack.toolsBin, 'helm');
  const kubectl = join(stack.toolsBin, 'kubectl');
  const kubeconfig = stackPaths(stack).kubeconfig;
  const chart = join(import.meta.dirname, '../../deploy/helm/sluice');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-helm-'));
  const suffix = Date.now().toString(36);
  const namespace = `sluice-chart-${suffix}`;
  const kube = testKube();

  const template = async (values: Record<string, unknown> = {}, ns = 'sluice-system') => {
    const file = join(dir, `values-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(values));
    const { stdout } = await run(helm, ['template', 'sluice', chart, '--namespace', ns, '--values', file], {
      env: { ...process.env, HELM_CACHE_HOME: join(dir, 'c'), HELM_CONFIG_HOME: join(dir, 'g') },
    });
    return parseAllDocuments(stdout)
      .map((d) => d.toJS() as KubernetesObject)
      .filter(Boolean);
  };
  const names = (objects: KubernetesObject[]) =>
    objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`).sort();
  const find = <T extends KubernetesObject>(objects: KubernetesObject[], kind: string) =>
    objects.find((o) => o.kind === kind) as T;

  afterAll(async () => {
    await kube.core.deleteNamespace({ name: namespace }).catch(() => {});
  });

  it('passes helm lint', async () => {
    const { stdout } = await run(helm, ['lint', chart]);
    expect(stdout).toContain('0 chart(s) failed');
  });

  it('renders by default: ServiceAccount, cluster RBAC, config, Deployment, Service; no Ingress, ServiceMonitor or PDB', async () => {
    const objects = await template();
    expect(names(objects)).toEqual([
      'ClusterRole//sluice',
      'ClusterRoleBinding//sluice',
      'ConfigMap/sluice-system/sluice-config',
      'Deployment/sluice-system/sluice',
      'Service/sluice-system/sluice',
      'ServiceAccount/sluice-system/sluice',
    ]);
    const d = find<V1Deployment>(objects, 'Deployment');
    const c = d.spec?.template.spec?.containers[0];
    expect(c?.image).toBe('sluice-worker:0.1.0');
    expect(c?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    for (const probe of [c?.startupProbe, c?.readinessProbe, c?.livenessProbe])
      expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    // The rendered worker.yaml loads as the worker reads it, listeners on the container's ports.
    const file = join(dir, 'worker.yaml');
    writeFileSync(file, find<V1ConfigMap>(objects, 'ConfigMap').data?.['worker.yaml'] ?? '');
    const config = loadWorkerConfig(file, {});
    expect(config.webhooks.port).toBe(c?.ports?.find((p) => p.name === 'webhooks')?.containerPort);
    expect(config.metrics?.port).toBe(c?.ports?.find((p) => p.name === 'metrics')?.containerPort);
    expect(config.cacheDir).toBe(c?.volumeMounts?.find((m) => m.name === 'cache')?.mountPath);
    // The Temporal SDK's own metrics are on by default, on their own port, through the Service.
    expect(config.sdkMetrics).toEqual({
      host: '0.0.0.0',
      port: c?.ports?.find((p) => p.name === 'sdk-metrics')?.containerPort,
    });
    expect(config.sdkMetrics?.port).toBe(9465);
    const svc = find<V1Service>(objects, 'Service');
    expect(svc.spec?.ports?.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['webhooks', 9480, 'webhooks'],
      ['metrics', 9464, 'metrics'],
      ['sdk-metrics', 9465, 'sdk-metrics'],
    ]);
  });

  it('leaves the SDK metrics out with ports.sdkMetrics 0: no config key, container port, Service port or endpoint', async () => {
    const objects = await template({ ports: { sdkMetrics: 0 }, serviceMonitor: { enabled: true } });
    const c = find<V1Deployment>(objects, 'Deployment').spec?.template.spec?.containers[0];
    expect(c?.ports?.map((p) => p.name)).toEqual(['webhooks', 'metrics']);
    expect(find<V1Service>(objects, 'Service').spec?.ports?.map((p) => p.name)).toEqual([
      'webhooks',
      'metrics',
    ]);
    const monitor = find<KubernetesObject & { spec: { endpoints: { port: string }[] } }>(
      objects,
      'ServiceMonitor',
    );
    expect(monitor.spec.endpoints.map((e) => e.port)).toEqual(['metrics']);
    const file = join(dir, 'worker-no-sdk.yaml');
    writeFileSync(file, find<V1ConfigMap>(objects, 'ConfigMap').data?.['worker.yaml'] ?? '');
    expect(loadWorkerConfig(file, {}).sdkMetrics).toBeUndefined();
  });

  it('renders namespaced RBAC, Ingress, ServiceMonitor, PDB, secrets from existing Secrets and values.config passed through', async () => {
    const objects = await template({
      image: { repository: 'registry.example/sluice', tag: '9.9.9' },
      rbac: { scope: 'namespaced', namespaces: ['shop', 'payments'] },
      ingress: { enabled: true, host: 'hooks.example.com' },
      serviceMonitor: { enabled: true },
      podDisruptionBudget: { enabled: true },
      temporal: { apiKey: { existingSecret: 'temporal-cloud' }, mtls: { existingSecret: 'temporal-mtls' } },
      mountedSecrets: [{ name: 'platform-git', existingSecret: 'git-credentials' }],
      config: { taskQueue: 'sluice-prod', tuning: { maxCachedWorkflows: 500 } },
    });
    expect(names(objects)).toEqual([
      'ConfigMap/sluice-system/sluice-config',
      'Deployment/sluice-system/sluice',
      'Ingress/sluice-system/sluice',
      'PodDisruptionBudget/sluice-system/sluice',
      'Role/payments/sluice',
      'Role/shop/sluice',
      'Role/sluice-system/sluice',
      'RoleBinding/payments/sluice',
      'RoleBinding/shop/sluice',
      'RoleBinding/sluice-system/sluice',
      'Service/sluice-system/sluice',
      'ServiceAccount/sluice-system/sluice',
      'ServiceMonitor/sluice-system/sluice',
    ]);
    const d = find<V1Deployment>(objects, 'Deployment');
    const c = d.spec?.template.spec?.containers[0];
    expect(c?.image).toBe('registry.example/sluice:9.9.9');
    expect(c?.env).toContainEqual({
      name: 'SLUICE_TEMPORAL_API_KEY',
      valueFrom: { secretKeyRef: { name: 'temporal-cloud', key: 'apiKey' } },
    });
    expect(c?.volumeMounts).toContainEqual(
      expect.objectContaining({ mountPath: '/etc/sluice/secrets/platform-git', readOnly: true }),
    );
    expect(d.spec?.template.spec?.volumes).toContainEqual(
      expect.objectContaining({ secret: { secretName: 'git-credentials' } }),
    );
    const file = join(dir, 'worker-all.yaml');
    writeFileSync(file, find<V1ConfigMap>(objects, 'ConfigMap').data?.['worker.yaml'] ?? '');
    const config = loadWorkerConfig(file, {});
    expect(config.taskQueue).toBe('sluice-prod');
    expect(config.tuning).toEqual({ maxCachedWorkflows: 500 });
    expect(config.temporal.tls).toEqual({
      certFile: '/etc/sluice/temporal-tls/tls.crt',
      keyFile: '/etc/sluice/temporal-tls/tls.key',
    });
    expect(config.secrets).toContainEqual({ type: 'files', dir: '/etc/sluice/secrets' });
    const ingress = find<KubernetesObject & { spec: { rules: { host: string }[] } }>(objects, 'Ingress');
    expect(ingress.spec.rules[0]?.host).toBe('hooks.example.com');
    // The ServiceMonitor scrapes both /metrics: Sluice's and the Temporal SDK's.
    const monitor = find<KubernetesObject & { spec: { endpoints: { port: string; path: string }[] } }>(
      objects,
      'ServiceMonitor',
    );
    expect(monitor.spec.endpoints.map((e) => [e.port, e.path])).toEqual([
      ['metrics', '/metrics'],
      ['sdk-metrics', '/metrics'],
    ]);
  });

  it('passes a server-side dry run (Pod Security "restricted" enforced), creating nothing', async () => {
    await kube.core.createNamespace({
      body: {
        metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
    });
    const objects = await template(
      { ingress: { enabled: true }, podDisruptionBudget: { enabled: true }, rbac: { scope: 'namespaced' } },
      namespace,
    );
    expect(objects.map((o) => o.kind)).not.toContain('ServiceMonitor');
    const file = join(dir, 'objects.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const { stdout, stderr } = await run(kubectl, [
      '--kubeconfig',
      kubeconfig,
      'apply',
      '--server-side',
      '--dry-run=server',
      '--field-manager=sluice-helm-test',
      '-f',
      file,
    ]);
    for (const o of objects)
      expect(stdout).toMatch(
        new RegExp(
          `${(o.kind as string).toLowerCase()}[\\w.]*/${o.metadata?.name} serverside-applied \\(server dry run\\)`,
        ),
      );
    expect(stderr).not.toContain('PodSecurity');
    expect(
      (await kube.apps.listNamespacedDeployment({ namespace })).items.map((x) => x.metadata?.name),
    ).toEqual([]);
  });
});
