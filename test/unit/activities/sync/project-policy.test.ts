import { describe, expect, it } from 'vitest';
import { enforceProject, type ProjectPolicy } from '../../../../activities/sync/project-policy.js';

describe('enforceProject: clusterResourceAllowList', () => {
  // The platform Project of deploy/kubernetes/worker.yaml: the core group written as "".
  const policy: ProjectPolicy = {
    name: 'platform',
    sourceRepos: ['*'],
    destinations: [{ cluster: 'in-cluster', namespace: 'sluice-system' }],
    clusterResourceAllowList: [
      { group: '', kind: 'Namespace' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ],
  };
  const app = {
    name: 'sluice',
    repoURL: 'https://git.example.com/p.git',
    cluster: 'in-cluster',
    namespace: 'sluice-system',
  };
  const clusterScoped = (apiVersion: string, kind: string) => ({
    ref: { apiVersion, kind, name: 'x' },
    namespaced: false,
  });

  it('matches an empty group as the core group only, next to named groups', () => {
    expect(() =>
      enforceProject(policy, app, [
        clusterScoped('v1', 'Namespace'),
        clusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRole'),
      ]),
    ).not.toThrow();
    expect(() => enforceProject(policy, app, [clusterScoped('example.com/v1', 'Namespace')])).toThrow(
      /is cluster-scoped and not in clusterResourceAllowList/,
    );
    expect(() =>
      enforceProject(policy, app, [clusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')]),
    ).toThrow(/not in clusterResourceAllowList/);
  });
});
