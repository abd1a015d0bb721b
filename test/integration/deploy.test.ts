import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubernetesObject, V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KustomizeRenderer } from '../../plugins/renderers/kustomize.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { loadWorkerConfig, type WorkerConfig } from '../../worker/config.js';
import { durationMs } from '../../workflows/shared/duration.js';
import { orMissing, testKube } from './helpers/kube.js';

const run = promisify(execFile);

// deploy/kubernetes rendered by Sluice's own kustomize renderer, as the self-managed Application
// (deploy/self-managed) renders it when Sluice syncs its own deployment, then a server-side dry run
// on the local cluster: the API server's validation, defaulting, RBAC and Pod Security admission.
describe('deploy/kubernetes', () => {
  const stack = loadStackConfig();
  const kubectl = join(stack.toolsBin, 'kubectl');
  const kubeconfig = stackPaths(stack).kubeconfig;
  const root = join(import.meta.dirname, '../..');
  const application = parse(readFileSync(join(root, 'deploy/self-managed/application.yaml'), 'utf8'));
  const namespace = application.spec.destination.namespace as string;
  const kube = testKube();
  let objects: KubernetesObject[];
  let createdNamespace = false;

  const find = <T extends KubernetesObject>(kind: string, name?: string) => {
    const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata?.name === name));
    expect(o, `${kind}/${name ?? '*'}`).toBeDefined();
    return o as T;
  };
  const dryRun = async (list: KubernetesObject[]) => {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-deploy-')), 'objects.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list }));
    return run(kubectl, [
      '--kubeconfig',
      kubeconfig,
      'apply',
      '--server-side',
      '--dry-run=server',
      '--field-manager=sluice-deploy-test',
      '-f',
      file,
    ]);
  };

  beforeAll(async () => {
    const { plugin, ...options } = application.spec.source.render;
    expect(plugin).toBe('kustomize');
    const rendered = await new KustomizeRenderer().render({
      repoRoot: root,
      path: application.spec.source.path,
      appName: application.metadata.name,
      namespace,
      options: { ...options, images: ['sluice-worker=registry.example/sluice/worker:1.2.3'] },
    });
    objects = rendered.objects;
  });

  afterAll(async () => {
    if (createdNamespace) await kube.core.deleteNamespace({ name: namespace }).catch(() => {});
  });

  it('renders the namespace, service account, RBAC, config, Deployment and Service, with the image set', () => {
    // The ConfigMap's name carries a hash of its content, so a changed worker.yaml rolls the Deployment.
    const names = objects.map((o) =>
      `${o.kind}/${o.metadata?.name}`.replace(/^(ConfigMap\/.*)-\w{10}$/, '$1-<hash>'),
    );
    expect(names.sort()).toEqual([
      'ClusterRole/sluice-worker',
      'ClusterRoleBinding/sluice-worker',
      'ConfigMap/sluice-worker-config-<hash>',
      'Deployment/sluice-worker',
      `Namespace/${namespace}`,
      'Service/sluice-worker',
      'ServiceAccount/sluice-worker',
    ]);
    for (const o of objects)
      if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind as string))
        expect(o.metadata?.namespace, `${o.kind}/${o.metadata?.name}`).toBe(namespace);
    const d = find<V1Deployment>('Deployment');
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('registry.example/sluice/worker:1.2.3');
    expect(d.spec?.template.spec?.serviceAccountName).toBe('sluice-worker');
    expect(find<KubernetesObject & { subjects: unknown[] }>('ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'sluice-worker', namespace },
    ]);
  });

  it("wires the worker's config to its probes, ports and termination grace", () => {
    const d = find<V1Deployment>('Deployment');
    const pod = d.spec?.template.spec;
    const container = pod?.containers[0];
    const cm = find<V1ConfigMap>('ConfigMap');
    // The generated (hashed) ConfigMap is the one mounted where the container's --config points.
    const volume = pod?.volumes?.find((v) => v.configMap?.name === cm.metadata?.name);
    const mount = container?.volumeMounts?.find((m) => m.name === volume?.name);
    const configPath = container?.args?.[(container.args?.indexOf('--config') ?? -2) + 1];
    expect(configPath).toBe(`${mount?.mountPath}/worker.yaml`);

    const file = join(mkdtempSync(join(tmpdir(), 'sluice-deploy-cfg-')), 'worker.yaml');
    writeFileSync(file, cm.data?.['worker.yaml'] ?? '');
    const config: WorkerConfig = loadWorkerConfig(file, {});
    expect(config.metrics).toMatchObject({ host: '0.0.0.0', port: expect.any(Number) });
    expect(config.secrets).toContainEqual({ type: 'kubernetes', namespace });

    const port = (name: string) => container?.ports?.find((p) => p.name === name)?.containerPort;
    expect(port('metrics')).toBe(config.metrics?.port);
    expect(port('webhooks')).toBe(config.webhooks.port);
    for (const probe of [container?.startupProbe, container?.readinessProbe, container?.livenessProbe])
      expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect((pod?.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(
      durationMs(config.shutdownGraceTime),
    );
    expect(cm.data?.['worker.yaml']).not.toMatch(/apiKey:|password|token/i);
    expect(container?.env).toContainEqual({
      name: 'SLUICE_TEMPORAL_API_KEY',
      valueFrom: { secretKeyRef: { name: 'sluice-temporal', key: 'apiKey', optional: true } },
    });

    const svc = find<V1Service>('Service');
    expect(svc.spec?.selector).toEqual(d.spec?.selector?.matchLabels);
    expect(svc.spec?.ports?.map((p) => p.targetPort).sort()).toEqual(['metrics', 'webhooks']);
  });

  it('validates as pipeline files with `sluice validate`', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(root, 'bin/sluice.js'), 'validate', 'deploy/self-managed'],
      {
        cwd: root,
      },
    );
    // application.yaml and application-helm.yaml (deploy/helm/sluice's self-management, tested by
    // helm-chart-self-sync.test.ts).
    expect(stdout).toContain('2 Applications');
  });

  it('passes a server-side dry run, Pod Security "restricted" included, and creates nothing', async () => {
    // Namespaced objects can only be dry-run into an existing namespace: create it (labels and all) for real.
    if (!(await orMissing(kube.core.readNamespace({ name: namespace })))) {
      await kube.core.createNamespace({ body: find('Namespace') });
      createdNamespace = true;
    }
    const { stdout, stderr } = await dryRun(objects);
    for (const o of objects)
      expect(stdout).toMatch(
        new RegExp(
          `${(o.kind as string).toLowerCase()}[\\w.]*/${o.metadata?.name} serverside-applied \\(server dry run\\)`,
        ),
      );
    expect(stderr).not.toContain('PodSecurity');
    expect(
      await orMissing(kube.apps.readNamespacedDeployment({ namespace, name: 'sluice-worker' })),
    ).toBeUndefined();

    // The Pod Security check is live: the same Deployment running as root is flagged.
    const rootPod = structuredClone(find<V1Deployment>('Deployment'));
    if (rootPod.spec?.template.spec?.securityContext)
      rootPod.spec.template.spec.securityContext.runAsNonRoot = false;
    const flagged = await dryRun([rootPod]);
    expect(flagged.stderr).toContain('would violate PodSecurity "restricted');
  });
});
