/** A Deployment manifest (pause image; kwok runs its pods). */
export function deploymentYaml(
  name: string,
  opts: {
    replicas?: number;
    wave?: number;
    extraAnnotations?: Record<string, string>;
    progressDeadlineSeconds?: number;
    nodeSelector?: Record<string, string>;
    tolerations?: { key: string; value: string; effect: string }[];
    /** Container image (default: the pause image). */
    image?: string;
    /** A named `http` container port, as rollouts' Services target. */
    containerPort?: number;
  } = {},
): string {
  const annotations = {
    ...(opts.wave !== undefined ? { 'sluice.dev/sync-wave': String(opts.wave) } : {}),
    ...opts.extraAnnotations,
  };
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${
  Object.keys(annotations).length
    ? `  annotations:\n${Object.entries(annotations)
        .map(([k, v]) => `    ${k}: "${v}"`)
        .join('\n')}\n`
    : ''
}spec:
  replicas: ${opts.replicas ?? 2}
${opts.progressDeadlineSeconds ? `  progressDeadlineSeconds: ${opts.progressDeadlineSeconds}\n` : ''}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${opts.nodeSelector ? `      nodeSelector: ${JSON.stringify(opts.nodeSelector)}\n` : ''}${opts.tolerations ? `      tolerations: ${JSON.stringify(opts.tolerations)}\n` : ''}      containers:
        - name: app
          image: ${opts.image ?? 'registry.k8s.io/pause:3.10'}
${opts.containerPort ? `          ports: [{name: http, containerPort: ${opts.containerPort}}]\n` : ''}`;
}

/** A ConfigMap manifest. */
export function configMapYaml(
  name: string,
  data: Record<string, string>,
  annotations: Record<string, string> = {},
): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${
  Object.keys(annotations).length
    ? `  annotations:\n${Object.entries(annotations)
        .map(([k, v]) => `    ${k}: "${v}"`)
        .join('\n')}\n`
    : ''
}data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`;
}

/** A ClusterIP Service manifest. */
export function serviceYaml(name: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
    - port: 80
      targetPort: 8080
`;
}

/** A Job hook of Sluice's own annotation; `fail` as for jobYaml. */
export function hookJobYaml(name: string, hook: string, opts: { fail?: boolean } = {}): string {
  return jobYaml(name, { 'sluice.dev/hook': hook }, opts);
}

/**
 * A Job annotated as given, whose pod kwok completes; `fail` keeps its pod unschedulable so
 * activeDeadlineSeconds fails the Job (the Job controller does it).
 */
export function jobYaml(
  name: string,
  annotations: Record<string, string>,
  opts: { fail?: boolean } = {},
): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`);
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
${lines.join('\n')}
spec:
  backoffLimit: 0
${opts.fail ? '  activeDeadlineSeconds: 3\n' : ''}  template:
    spec:
      restartPolicy: Never
${opts.fail ? '      nodeSelector: {sluice.dev/no-such-node: "true"}\n' : ''}      containers:
        - name: hook
          image: registry.k8s.io/pause:3.10
`;
}
