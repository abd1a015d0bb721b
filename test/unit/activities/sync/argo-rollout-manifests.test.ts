import { describe, expect, it } from 'vitest';
import { refOf } from '../../../../activities/diff/ref.js';
import { replaceArgoRollouts } from '../../../../activities/sync/argo-rollout-manifests.js';
import { enforceProject } from '../../../../activities/sync/project-policy.js';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'web:2' }] },
};

describe('replaceArgoRollouts', () => {
  it('applies the Deployment an inline template stands for, and nothing for a workloadRef Rollout', () => {
    const objects = replaceArgoRollouts([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: {
          name: 'web',
          namespace: 'shop',
          labels: { team: 'a' },
          annotations: { 'rollout.argoproj.io/revision': '3', 'argocd.argoproj.io/sync-wave': '1' },
        },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template,
          strategy: { canary: { steps: [{ setWeight: 10 }] } },
        },
      } as never,
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'ref' },
        spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ref' } },
      } as never,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
    ]);
    expect(objects).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'web',
          namespace: 'shop',
          labels: { team: 'a' },
          annotations: { 'argocd.argoproj.io/sync-wave': '1' },
        },
        spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
    ]);
  });

  it("keeps the Rollout's namespace on the Deployment, so the Project's destinations still decide (attack)", () => {
    // A team's repository names another team's namespace in its Argo Rollout.
    const [deployment] = replaceArgoRollouts([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'web', namespace: 'payments' },
        spec: { selector: { matchLabels: { app: 'web' } }, template },
      } as never,
    ]);
    expect(deployment?.metadata?.namespace).toBe('payments');
    const policy = {
      name: 'shop',
      sourceRepos: ['*'],
      destinations: [{ cluster: 'in-cluster', namespace: 'shop' }],
    };
    const app = {
      name: 'web',
      repoURL: 'https://git.example.com/shop.git',
      cluster: 'in-cluster',
      namespace: 'shop',
    };
    expect(() =>
      enforceProject(policy, app, [{ ref: refOf(deployment as never), namespaced: true }]),
    ).toThrow(/Deployment.*targets in-cluster\/payments, which is not one of the project's destinations/);
  });
});
