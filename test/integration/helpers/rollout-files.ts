import { deploymentYaml } from './manifests.js';

/**
 * An Application `name` that syncs `manifests/` of `repoURL` into `namespace` (automated, with prune, the
 * namespace created) and rolls its Deployment out with the Rollout named `web`.
 */
export function rolloutApplicationYaml(name: string, repoURL: string, namespace: string): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source:
    repoURL: ${repoURL}
    targetRevision: main
    path: manifests
  destination:
    namespace: ${namespace}
  rollout: web
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
`;
}

/**
 * The Rollout `web` of Deployment `web` through istio with the given canary strategy (flow YAML; default one
 * step at 50 %), analysed every 2 s against request-success-rate ≥ 99 % over 10 s, rolled back after 2 failed
 * checks. Its analysis is the last thing in the text, so a test may append more of it (e.g. `alerts`).
 */
export function istioCanaryRolloutYaml(canary = '{stepWeights: [50]}'): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  targetRef: {name: web}
  service: {port: 80, targetPort: 8080}
  provider: istio
  strategy:
    canary: ${canary}
  analysis:
    interval: 2s
    threshold: 2
    metrics:
      - name: request-success-rate
        thresholdRange: {min: 99}
        interval: 10s
`;
}

/** Deployment `web` at `image`, with the `http` port 8080 that a Rollout's Services target. */
export const webDeploymentYaml = (image: string): string =>
  deploymentYaml('web', { image, containerPort: 8080 });
