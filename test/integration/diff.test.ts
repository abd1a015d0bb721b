import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffApplication, type IgnoreDifference } from '../../activities/diff/index.js';
import { refOf } from '../../activities/diff/ref.js';
import { kubeClients } from '../../activities/kube/client.js';
import { applyObjects } from '../../activities/sync/apply.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { waitFor } from '../helpers/wait-for.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';

describe('diff: desired vs live by server-side dry run', () => {
  const suffix = Date.now().toString(36);
  const ns = `diff-${suffix}`;
  const owner = { repoId: 'default', project: 'default', app: `diff-${suffix}` };
  const { objects: api, apps } = kubeClients(stackPaths(loadStackConfig()).kubeconfig);
  const inNs = (yaml: string): KubernetesObject => {
    const obj = parse(yaml) as KubernetesObject;
    return { ...obj, metadata: { ...obj.metadata, namespace: ns } };
  };
  const web = (replicas = 2) => inNs(deploymentYaml('web', { replicas }));
  const diffWeb = async (desired: KubernetesObject, rules: IgnoreDifference[] = []) => {
    const { resources } = await diffApplication(api, [desired], owner, rules);
    expect(resources).toHaveLength(1);
    return resources[0] as NonNullable<(typeof resources)[0]>;
  };
  /** The +/- lines of a diff, headers aside. */
  const changes = (diff: string) => diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));
  /** Waits until the deployment controller has caught up, so it writes nothing between our read and dry run. */
  const settled = () =>
    waitFor('the deployment controller to observe web', async () => {
      const d = await apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
      return (
        d.status?.observedGeneration === d.metadata?.generation &&
        d.status?.updatedReplicas === d.spec?.replicas
      );
    });

  beforeAll(async () => {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await applyObjects(api, [web(), inNs(configMapYaml('old-config', { color: 'blue' }))], owner);
    await settled();
  });
  afterAll(async () => {
    await api.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => {});
  });

  it('an unchanged Deployment is Synced with an empty diff, server defaults notwithstanding', async () => {
    const live = await apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
    // The server did default these; the manifest does not declare them.
    expect(live.spec?.strategy?.type).toBe('RollingUpdate');
    expect(live.spec?.revisionHistoryLimit).toBe(10);
    expect(await diffWeb(web())).toEqual({ ref: refOf(web()), status: 'Synced', diff: '' });
  });

  it('a changed replicas is OutOfSync, and the diff shows just that', async () => {
    const { status, diff } = await diffWeb(web(3));
    expect(status).toBe('OutOfSync');
    expect(diff).toMatch(
      new RegExp(`^--- live apps/Deployment ${ns}/web\n\\+\\+\\+ desired apps/Deployment ${ns}/web\n`),
    );
    expect(changes(diff)).toEqual(['-  replicas: 2', '+  replicas: 3']);
  });

  it('an object not in the cluster is Missing, also when its namespace does not exist yet', async () => {
    const absentNs = {
      ...inNs(configMapYaml('new-config', { a: '1' })),
      metadata: { name: 'x', namespace: `${ns}-absent` },
    };
    const { resources } = await diffApplication(
      api,
      [inNs(configMapYaml('new-config', { a: '1' })), absentNs],
      owner,
      [],
    );
    expect(resources.map((r) => r.status)).toEqual(['Missing', 'Missing']);
    expect(resources[0]?.diff).toContain(`+++ desired ConfigMap ${ns}/new-config\n@@ -0,0 +`);
    expect(resources[0]?.diff).toContain('+  a: "1"\n');
  });

  it('an inventory object this app still tracks but no longer renders is Extraneous', async () => {
    const old = inNs(configMapYaml('old-config', { color: 'blue' }));
    const { resources } = await diffApplication(api, [web()], owner, [], {
      inventory: [refOf(web()), refOf(old), { ...refOf(old), name: 'long-gone' }],
    });
    expect(resources.map((r) => [r.ref.name, r.status])).toEqual([
      ['web', 'Synced'],
      ['old-config', 'Extraneous'],
    ]);
    expect(changes(resources[1]?.diff ?? '')).toContain('-  color: blue');
  });

  describe('drift by another field manager', () => {
    beforeAll(async () => {
      // As an autoscaler would: it takes ownership of spec.replicas.
      await api.patch(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: ns },
          spec: { replicas: 5 },
        },
        undefined,
        undefined,
        'hpa-controller',
        true,
        PatchStrategy.ServerSideApply,
      );
      await settled();
    });

    it('shows as OutOfSync without a rule', async () => {
      const { status, diff } = await diffWeb(web());
      expect(status).toBe('OutOfSync');
      expect(changes(diff)).toEqual(['-  replicas: 5', '+  replicas: 2']);
    });

    it('is ignored by managedFieldsManagers', async () => {
      const rules = [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller'] }];
      expect(await diffWeb(web(), rules)).toMatchObject({ status: 'Synced', diff: '' });
    });

    it('is ignored by a JSON pointer, but only for the object the rule names', async () => {
      const rule = { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] };
      expect(await diffWeb(web(), [{ ...rule, name: 'web', namespace: ns }])).toMatchObject({
        status: 'Synced',
      });
      expect(await diffWeb(web(), [{ ...rule, name: 'api' }])).toMatchObject({ status: 'OutOfSync' });
    });

    it('in a list item found by its key (kubectl set image) is ignored by managedFieldsManagers', async () => {
      await api.patch(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: ns },
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'app', image: 'registry.k8s.io/pause:3.9', env: [{ name: 'DEBUG', value: '1' }] },
                ],
              },
            },
          },
        },
        undefined,
        undefined,
        'kubectl-set',
        undefined,
        PatchStrategy.StrategicMergePatch,
      );
      await settled();
      const hpa = { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller'] };
      const drifted = await diffWeb(web(), [hpa]);
      expect(drifted.status).toBe('OutOfSync');
      // Only the image, which Sluice declares: the env var it does not declare would survive its apply
      // (server-side apply leaves other managers' fields alone), so it is no difference.
      expect(changes(drifted.diff)).toEqual([
        '-          image: registry.k8s.io/pause:3.9',
        '+          image: registry.k8s.io/pause:3.10',
      ]);
      expect(drifted.diff).toContain('DEBUG');
      const both = { ...hpa, managedFieldsManagers: ['hpa-controller', 'kubectl-set'] };
      expect(await diffWeb(web(), [both])).toMatchObject({ status: 'Synced', diff: '' });
    });
  });
});
