import { describe, expect, it } from 'vitest';
import { editYaml, fieldPath } from '../../../../activities/steps/git-update.js';

const deployment = `# production web
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0 # bumped by the pipeline
        - name: sidecar
          image: ghcr.io/acme/web-sidecar:3
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {color: blue}
`;

describe('git-update edits', () => {
  it('sets the tag of a matching image only, keeping comments and other documents', () => {
    const out = editYaml(deployment, { image: 'ghcr.io/acme/web', tag: '1.1' }, 'web.yaml');
    expect(out).toContain('image: ghcr.io/acme/web:1.1 # bumped by the pipeline');
    expect(out).toContain('image: ghcr.io/acme/web-sidecar:3');
    expect(out).toContain('# production web');
    expect(out).toContain('data: { color: blue }');
  });

  it('is idempotent: the same tag again changes nothing', () => {
    const once = editYaml(deployment, { image: 'ghcr.io/acme/web', tag: '1.1' }, 'web.yaml');
    expect(editYaml(once, { image: 'ghcr.io/acme/web', tag: '1.1' }, 'web.yaml')).toBe(once);
  });

  it('leaves a file whose value is already set exactly as it was (no formatting-only commit)', () => {
    // Flow collections the serialiser would restyle: `{name: web}` → `{ name: web }`.
    expect(editYaml(deployment, { image: 'ghcr.io/acme/web', tag: '1.0' }, 'web.yaml')).toBe(deployment);
    expect(editYaml(deployment, { field: 'spec.replicas', value: 2 }, 'web.yaml')).toBe(deployment);
    expect(editYaml(deployment, { field: 'spec.replicas', value: 3 }, 'web.yaml')).toContain(
      'metadata: { name: web }',
    );
  });

  it('sets kustomize images[].newTag', () => {
    const k = 'images:\n  - name: ghcr.io/acme/web\n    newTag: "1.0"\n';
    expect(editYaml(k, { image: 'ghcr.io/acme/web', tag: '2.0' }, 'kustomization.yaml')).toBe(
      'images:\n  - name: ghcr.io/acme/web\n    newTag: "2.0"\n',
    );
  });

  it('sets a field by dotted path in the chosen document', () => {
    const out = editYaml(deployment, { field: 'spec.replicas', value: 5 }, 'web.yaml');
    expect(out).toContain('replicas: 5');
    const cm = editYaml(deployment, { field: 'data.color', value: 'green', document: 1 }, 'web.yaml');
    expect(cm).toContain('color: green');
    expect(fieldPath('spec.template.spec.containers[0].image')).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'image',
    ]);
  });

  it('fails clearly when the image is not in the file', () => {
    expect(() => editYaml(deployment, { image: 'ghcr.io/acme/api', tag: '1' }, 'web.yaml')).toThrow(
      /web.yaml has no image ghcr.io\/acme\/api/,
    );
  });
});
