/** A minimal valid Application pipeline file. */
export function applicationYaml(name: string, opts: { project?: string; namespace?: string } = {}): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
${opts.project ? `  project: ${opts.project}\n` : ''}  source:
    repoURL: http://127.0.0.1/manifests.git
    targetRevision: main
    path: deploy/${name}
  destination:
    namespace: ${opts.namespace ?? name}
`;
}

/** The same Application with a misspelled field, which must be rejected with its location. */
export function misspelledApplicationYaml(name: string, project?: string): string {
  return applicationYaml(name, { project }).replace('  destination:', '  destinaton:');
}

/** A Pipeline with a manual trigger and one wait step. */
export function pipelineYaml(name: string): string {
  return `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata:
  name: ${name}
spec:
  trigger:
    manual: {}
  steps:
    - name: pause
      uses: wait
      with: {duration: 1m}
`;
}
