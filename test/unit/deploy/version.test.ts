// One version, package.json's, everywhere a release names it: the CLI (`sluice --version` reads
// package.json at run time), the image's OCI label, and the image tag the manifests and compose deploy.
// Bump package.json and this test names every file still on the old version (the Helm chart's
// version and appVersion: test/unit/deploy/helm-chart-version.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const { version } = JSON.parse(read('package.json')) as { version: string };
/** The tag of an image reference (after the last colon that follows the last slash). */
const tagOf = (image: string) => /:([^/:@]+)(@.*)?$/.exec(image)?.[1];

describe(`every release reference is package.json's version (${version})`, () => {
  it('deploy/kubernetes: the kustomization image tag and the Deployment image', () => {
    const kustomization = parse(read('deploy/kubernetes/kustomization.yaml')) as {
      images: { name: string; newTag: string }[];
    };
    expect(kustomization.images.find((i) => i.name === 'sluice-worker')?.newTag).toBe(version);
    const docs = parseAllDocuments(read('deploy/kubernetes/deployment.yaml')).map((d) => d.toJS());
    const deployment = docs.find((d) => d?.kind === 'Deployment');
    const images = (deployment.spec.template.spec.containers as { image: string }[]).map((c) => c.image);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images.filter((i) => i.startsWith('sluice-worker')))
      expect(tagOf(image)).toBe(version);
  });

  it('deploy/compose.yaml: the worker image', () => {
    const compose = parse(read('deploy/compose.yaml')) as { services: { worker: { image: string } } };
    expect(tagOf(compose.services.worker.image)).toBe(version);
  });

  it("deploy/Dockerfile: SLUICE_VERSION's default, which the OCI version label carries", () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(/^ARG SLUICE_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toBe(version);
    expect(dockerfile).toMatch(/org\.opencontainers\.image\.version="\$\{SLUICE_VERSION\}"/);
    // The build script passes package.json's version, and checks the built image's label against it.
    const script = read('scripts/build-image.sh');
    expect(script).toContain('require("./package.json").version');
    expect(script).toContain('--build-arg "SLUICE_VERSION=$version"');
    expect(script).toContain('org.opencontainers.image.version');
  });

  it('fails on a stale tag: the tag reader sees what it should', () => {
    expect(tagOf('sluice-worker:0.0.9')).toBe('0.0.9');
    expect(tagOf('registry.local:5000/sluice-worker:1.2.3')).toBe('1.2.3');
    expect(tagOf(`registry.local:5000/sluice-worker:1.2.3@sha256:${'a'.repeat(64)}`)).toBe('1.2.3');
    expect(tagOf('sluice-worker')).toBeUndefined();
  });
});
