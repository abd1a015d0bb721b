import { SecretStore } from '../../../activities/secrets/secret-store.js';
import type { TrustConfig } from '../../../activities/trust/config.js';
import type { RegistryServer } from '../../helpers/charts.js';
import { openTestTrust } from './test-worker.js';

/**
 * Worker options for scanning the stack's OCI registry: `trust` with the registry configured (its CA, its
 * credentials in secret "registry") and a secret store that answers "registry" with those credentials.
 */
export function registryWorkerOptions(registry: RegistryServer, trust: Partial<TrustConfig> = openTestTrust) {
  return {
    trust: {
      ...trust,
      helmRepositories: [{ url: registry.ociUrl, secretRef: { name: 'registry' }, caFile: registry.caFile }],
    },
    secretStore: new SecretStore([
      {
        description: 'test secrets',
        lookup: async (name) =>
          name === 'registry' ? { username: registry.username, password: registry.password } : undefined,
      },
    ]),
  };
}

/**
 * An ImageRepository scanning `image` every 2 s and an ImagePolicy of the same name, both in namespace
 * `apps`, choosing by `policy` (flow YAML, e.g. `{semver: {range: '^1.0.0'}}`). The policy's spec is the last
 * thing in the text, so a test may append more of it (e.g. `filterTags`).
 */
export function imagePolicyYaml(name: string, image: string, policy: string): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: ImageRepository
metadata: {name: ${name}, namespace: apps}
spec: {image: '${image}', interval: 2s}
---
apiVersion: sluice.dev/v1alpha1
kind: ImagePolicy
metadata: {name: ${name}, namespace: apps}
spec:
  imageRepositoryRef: {name: ${name}}
  policy: ${policy}
`;
}
