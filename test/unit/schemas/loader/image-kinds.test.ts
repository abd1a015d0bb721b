// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
import { describe, expect, it } from 'vitest';
import { formatLoadError, loadPipelineFiles } from '../../../../schemas/loader/index.js';

const files = (policyRepo: string, trigger = 'web') => [
  {
    path: 'images.yaml',
    content: `apiVersion: sluice.dev/v1alpha1
kind: ImageRepository
metadata: {name: web, namespace: apps}
spec: {image: 'registry.example.com:5000/team/web', interval: 1m}
---
apiVersion: sluice.dev/v1alpha1
kind: ImagePolicy
metadata: {name: web, namespace: apps}
spec:
  imageRepositoryRef: {name: ${policyRepo}}
  policy: {semver: {range: '>=1.0.0'}}
  filterTags: {pattern: '^v?(?<v>.*)$', extract: '$v'}
---
apiVersion: sluice.dev/v1alpha1
kind: ImageUpdateAutomation
metadata: {name: web, namespace: apps}
spec:
  update: {path: deploy}
  policies: [web]
---
apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: promote, namespace: apps}
spec:
  trigger: {image: {policyRef: {name: ${trigger}}}}
  steps:
    - {name: hook, uses: webhook, with: {url: 'https://hooks.example.com/x', body: {tag: '\${{ trigger.image.tag }}'}}}
`,
  },
];

describe('image automation kinds', () => {
  it('load with their references resolved', () => {
    const r = loadPipelineFiles(files('web'));
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.objects.map((o) => o.kind)).toEqual([
      'ImageRepository',
      'ImagePolicy',
      'ImageUpdateAutomation',
      'Pipeline',
    ]);
  });

  it('name a missing ImageRepository or ImagePolicy with file:line', () => {
    const r = loadPipelineFiles(files('wbe', 'nope'));
    expect(r.errors.map(formatLoadError)).toEqual([
      expect.stringMatching(
        /^images\.yaml:10:\d+: spec\.imageRepositoryRef\.name: ImageRepository "wbe" not found in namespace "apps"/,
      ),
      expect.stringMatching(
        /^images\.yaml:25:\d+: spec\.trigger\.image\.policyRef\.name: ImagePolicy "nope" not found/,
      ),
    ]);
  });

  it('refuse an image with a tag and a policy with two orders', () => {
    const bad = files('web')[0]
      ?.content.replace("team/web'", "team/web:1.0'")
      .replace("policy: {semver: {range: '>=1.0.0'}}", "policy: {semver: {range: '*'}, numerical: {}}");
    const r = loadPipelineFiles([{ path: 'images.yaml', content: bad ?? '' }]);
    const errors = r.errors.map(formatLoadError).join('\n');
    expect(errors).toMatch(/images\.yaml:4:\d+: spec\.image: must be an image name/);
    expect(errors).toMatch(/images\.yaml:11:\d+: spec\.policy/);
  });
});
