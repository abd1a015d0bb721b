import { describe, expect, it } from 'vitest';
import { errorLines } from '../helpers.js';

const app = (spec: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: shop
spec:
${spec}  destination:
    namespace: prod
`;

const multi = (valueFile: string) =>
  app(`  sources:
    - repoURL: oci://registry.example/charts
      chart: web
      targetRevision: ^1.2
      render:
        plugin: helm
        valueFiles: [${JSON.stringify(valueFile)}]
    - repoURL: https://git.example/values.git
      ref: values
`);

describe('Application sources in pipeline files', () => {
  it('accepts a chart source and a multi-source Application with a $ref value file', () => {
    expect(
      errorLines({
        'a.yaml': app(
          '  source:\n    repoURL: https://charts.example\n    chart: web\n    targetRevision: ">=1.0.0 <2.0.0"\n',
        ),
      }),
    ).toEqual([]);
    expect(errorLines({ 'a.yaml': multi('$values/prod/web.yaml') })).toEqual([]);
  });

  it('requires exactly one of source and sources', () => {
    expect(errorLines({ 'a.yaml': app('') })[0]).toBe(
      'a.yaml:6:3: spec: must set exactly one of: source, sources',
    );
    const both = app(
      '  source:\n    repoURL: https://git.example/a.git\n  sources:\n    - repoURL: https://git.example/a.git\n',
    );
    expect(errorLines({ 'a.yaml': both }).join('\n')).toMatch(/source.*sources/);
  });

  it('rejects path, another renderer and a bad constraint on a chart, at their lines', () => {
    const lines = errorLines({
      'a.yaml': app(
        '  source:\n    repoURL: https://charts.example\n    chart: web\n    path: charts/web\n    targetRevision: not-a-version\n    render:\n      plugin: kustomize\n',
      ),
    });
    expect(lines).toEqual([
      expect.stringMatching(/^a\.yaml:9:5: spec\.source\.path: path is not used with chart/),
      expect.stringMatching(
        /^a\.yaml:10:21: spec\.source\.targetRevision: "not-a-version" is not a chart version/,
      ),
      expect.stringMatching(
        /^a\.yaml:12:15: spec\.source\.render\.plugin: a chart is rendered by the helm renderer/,
      ),
    ]);
  });

  it('rejects a chart repoURL that is neither a Helm repository nor an OCI location', () => {
    expect(errorLines({ 'a.yaml': app('  source:\n    repoURL: file:///etc\n    chart: web\n') })[0]).toMatch(
      /^a\.yaml:7:14: spec\.source\.repoURL: a chart's repoURL must be/,
    );
  });

  it('rejects a value file that leaves its source or names an unknown ref (attack: $values/../../etc/passwd)', () => {
    expect(errorLines({ 'a.yaml': multi('$values/../../etc/passwd') })).toEqual([
      expect.stringMatching(
        /^a\.yaml:12:22: spec\.sources\[0\]\.render\.valueFiles\[0\]: .* leaves the checkout of source \$values/,
      ),
    ]);
    expect(errorLines({ 'a.yaml': multi('$secrets/prod.yaml') })).toEqual([
      expect.stringMatching(
        /spec\.sources\[0\]\.render\.valueFiles\[0\]: no source has ref "secrets" \(refs declared: values\)/,
      ),
    ]);
    expect(errorLines({ 'a.yaml': multi('$values') })[0]).toMatch(/names no file of source \$values/);
  });

  it('rejects ref on a single source, duplicate refs, and render on a ref-only source', () => {
    expect(
      errorLines({
        'a.yaml': app('  source:\n    repoURL: https://git.example/a.git\n    ref: values\n'),
      })[0],
    ).toMatch(/spec\.source\.ref: ref names a source for the others/);
    const lines = errorLines({
      'a.yaml': app(
        '  sources:\n    - repoURL: https://git.example/a.git\n      ref: v\n      render:\n        plugin: directory\n    - repoURL: https://git.example/b.git\n      ref: v\n',
      ),
    });
    expect(lines.join('\n')).toMatch(/spec\.sources\[1\]\.ref: ref "v" is declared twice/);
    expect(lines.join('\n')).toMatch(
      /spec\.sources\[0\]\.render: a source with ref and without path or chart/,
    );
  });
});
