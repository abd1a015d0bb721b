import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKubernetesApi, kubeconfigSource } from '../../../worker/kube-check.js';

describe('kubeconfigSource', () => {
  const none = () => false;
  it("follows client-node's loadFromDefault order: config, KUBECONFIG, ~/.kube/config, in-cluster", () => {
    expect(kubeconfigSource('/etc/k.yaml', { KUBECONFIG: '/x' }, none)).toBe('kubeconfig /etc/k.yaml');
    expect(kubeconfigSource(undefined, { KUBECONFIG: '/x' }, none)).toBe('KUBECONFIG=/x');
    const home = join(homedir(), '.kube', 'config');
    expect(kubeconfigSource(undefined, {}, (p) => p === home)).toBe(`kubeconfig ${home}`);
    expect(kubeconfigSource(undefined, {}, (p) => p.endsWith('serviceaccount/token'))).toBe(
      'in-cluster service account',
    );
  });

  it('is undefined where client-node would fall back to http://localhost:8080', () => {
    expect(kubeconfigSource(undefined, {}, none)).toBeUndefined();
  });
});

describe('checkKubernetesApi', () => {
  it('names the file when the kubeconfig cannot be read', async () => {
    await expect(checkKubernetesApi('/nonexistent/kubeconfig')).rejects.toThrow(
      'cannot load the kubeconfig /nonexistent/kubeconfig',
    );
  });
});
