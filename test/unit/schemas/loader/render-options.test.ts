import { describe, expect, it } from 'vitest';
import { errorLines } from '../helpers.js';

const app = (render: string) => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  source:
    repoURL: https://git.example/shop.git
    path: chart
    render:
      plugin: helm
${render}  destination:
    namespace: prod
`;

describe('helm render options in pipeline files', () => {
  it("reports a releaseName that breaks Helm's rule at its value", () => {
    expect(errorLines({ 'a.yaml': app('      releaseName: --post-renderer=sh\n') })).toEqual([
      "a.yaml:11:20: spec.source.render.releaseName: must be a Helm release name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    ]);
    expect(errorLines({ 'a.yaml': app(`      releaseName: ${'a'.repeat(54)}\n`) })).toEqual([
      'a.yaml:11:20: spec.source.render.releaseName: must be at most 53 characters long',
    ]);
    expect(errorLines({ 'a.yaml': app('      releaseName: shop.v2\n') })).toEqual([]);
  });

  it('reports a parameter name that could be read as a flag or a second assignment', () => {
    const render = '      parameters:\n        - name: --set-file=leak\n          value: /etc/hostname\n';
    expect(errorLines({ 'a.yaml': app(render) })).toEqual([
      "a.yaml:12:17: spec.source.render.parameters[0].name: must be a value path such as image.tag: not starting with '-', and without '=', ',' or whitespace",
    ]);
  });
});
