// The Flux benchmark's application shape (fluxcd/flux-benchmark: "Deployment scaled to zero, Service
// Account, Service, Ingress"): four objects per app, named after the app's index.

/** Number of objects in one app. */
export const OBJECTS_PER_APP = 4;

/** The files of app `i`, by file name; `namespace` is written into each object when given (kubectl's copy). */
export function appManifests(i: number, namespace?: string): Record<string, string> {
  const name = `app-${i}`;
  const meta = `metadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}  labels: {app: ${name}}\n`;
  return {
    'serviceaccount.yaml': `apiVersion: v1\nkind: ServiceAccount\n${meta}`,
    'service.yaml': `apiVersion: v1
kind: Service
${meta}spec:
  selector: {app: ${name}}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`,
    'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
${meta}spec:
  rules:
    - host: ${name}.bench.local
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port: {number: 80}
`,
    'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
${meta}spec:
  replicas: 0
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: registry.k8s.io/pause:3.10
          ports:
            - containerPort: 8080
`,
  };
}
