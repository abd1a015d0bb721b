/** The demo's pipeline files: an Application whose workload a Rollout releases, with Prometheus analysis and a Slack alert. */
export function demoPipelineFiles(opts: { app: string; repoURL: string; namespace: string }): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${opts.app}
spec:
  source:
    repoURL: ${opts.repoURL}
    targetRevision: main
    path: manifests
  destination:
    namespace: ${opts.namespace}
  rollout: podinfo
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
  alerts:
    - name: team
      severity: info
      providerRef: {name: team-slack}
---
apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: podinfo
spec:
  targetRef: {name: podinfo}
  service: {port: 80, targetPort: 9898}
  provider: istio
  strategy:
    canary: {stepWeight: 20, maxWeight: 60}
  analysis:
    interval: 3s
    threshold: 2
    metrics:
      - name: request-success-rate
        thresholdRange: {min: 99}
        interval: 15s
      - name: request-duration
        thresholdRange: {max: 500}
        interval: 15s
    alerts:
      - name: team
        providerRef: {name: team-slack}
---
apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata:
  name: team-slack
spec:
  type: slack
  channel: C0DEMO
  secretRef: {name: demo-slack, key: token}
`;
}

/** The demo's workload at an image tag. */
export function demoDeployment(tag: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
spec:
  replicas: 3
  selector:
    matchLabels: {app: podinfo}
  template:
    metadata:
      labels: {app: podinfo}
    spec:
      containers:
        - name: podinfo
          image: ghcr.io/stefanprodan/podinfo:${tag}
          ports: [{name: http, containerPort: 9898}]
`;
}
