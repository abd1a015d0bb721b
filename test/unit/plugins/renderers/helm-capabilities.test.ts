import { describe, expect, it } from 'vitest';
import { HelmRenderer } from '../../../../plugins/renderers/helm.js';
import { helmTemplateArgs } from '../../../../plugins/renderers/helm-args.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { find, input, rejection, tempRepo } from './helpers.js';

/** A chart whose output depends on .Capabilities, as real charts' API-version switches do. */
const capabilityChart = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
  'chart/templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: caps
data:
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  atLeast130: {{ semverCompare ">=1.30" .Capabilities.KubeVersion.Version | quote }}
  hasJob: {{ .Capabilities.APIVersions.Has "batch/v1/Job" | quote }}
  hasWidget: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}
`,
};

const call = {
  releaseName: 'web',
  releaseNameFrom: 'releaseName',
  chart: '/charts/web',
  namespace: 'prod',
  includeCrds: true,
  valueFiles: [],
  parameters: [],
  file: 'web',
};

describe('helm template and the destination cluster', () => {
  it('passes the version and every API version as option values, before the positionals', () => {
    const args = helmTemplateArgs({
      ...call,
      capabilities: { kubeVersion: 'v1.34.4', apiVersions: ['apps/v1', 'apps/v1/Deployment', 'v1'] },
    });
    expect(args).toEqual([
      'template',
      '--namespace=prod',
      '--kube-version=v1.34.4',
      '--api-versions=apps/v1',
      '--api-versions=apps/v1/Deployment',
      '--api-versions=v1',
      '--include-crds',
      '--',
      'web',
      '/charts/web',
    ]);
    expect(helmTemplateArgs(call)).not.toContainEqual(expect.stringMatching(/^--(kube|api)-version/));
  });

  it('refuses a version or API version that is not what an API server answers', () => {
    for (const capabilities of [
      { kubeVersion: '--post-renderer=/bin/sh', apiVersions: [] },
      { kubeVersion: 'v1.34.4', apiVersions: ['apps/v1,--set=a=b'] },
      { kubeVersion: 'v1.34.4', apiVersions: ['--post-renderer=x'] },
      { kubeVersion: 'v1.34.4', apiVersions: ['apps/v1 extra'] },
    ])
      expect(() => helmTemplateArgs({ ...call, capabilities })).toThrow(
        new RenderError('the destination cluster answered a version or API version helm cannot take', {
          file: 'web',
        }),
      );
  });

  it("renders with the cluster's version and API versions, and helm's defaults without them", async () => {
    const root = tempRepo(capabilityChart);
    const withCluster = await new HelmRenderer({
      capabilities: {
        kubeVersion: 'v1.34.4',
        apiVersions: ['batch/v1', 'batch/v1/Job', 'example.com/v1', 'example.com/v1/Widget', 'v1'],
      },
    }).render(input('chart', {}, root));
    expect(find(withCluster.objects, 'ConfigMap', 'caps')).toMatchObject({
      data: { kubeVersion: 'v1.34.4', atLeast130: 'true', hasJob: 'true', hasWidget: 'true' },
    });
    const defaults = await new HelmRenderer().render(input('chart', {}, root));
    expect(find(defaults.objects, 'ConfigMap', 'caps')).toMatchObject({
      data: { atLeast130: 'false', hasWidget: 'false' },
    });
  });

  it('fails a render whose capabilities are not fit for the command line', async () => {
    const root = tempRepo(capabilityChart);
    const e = await rejection(
      new HelmRenderer({ capabilities: { kubeVersion: 'latest', apiVersions: [] } }).render(
        input('chart', {}, root),
      ),
    );
    expect(e.message).toBe(
      'chart: the destination cluster answered a version or API version helm cannot take',
    );
  });
});
