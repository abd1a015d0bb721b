import { describe, expect, it } from 'vitest';
import { type HelmTemplateCall, helmTemplateArgs } from '../../../../plugins/renderers/helm-args.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';

const call = (over: Partial<HelmTemplateCall> = {}): HelmTemplateCall => ({
  releaseName: 'web',
  releaseNameFrom: 'releaseName',
  chart: '/repo/chart',
  namespace: 'prod',
  includeCrds: true,
  valueFiles: ['/repo/chart/values-prod.yaml'],
  parameters: [{ name: 'image.tag', value: '1.2,3' }],
  file: 'chart',
  ...over,
});

const refusal = (over: Partial<HelmTemplateCall>): RenderError => {
  try {
    helmTemplateArgs(call(over));
  } catch (e) {
    expect(e).toBeInstanceOf(RenderError);
    return e as RenderError;
  }
  throw new Error('expected a refusal');
};

describe('helmTemplateArgs', () => {
  it('passes every chosen value as an --option=value token, and the name and chart after --', () => {
    expect(helmTemplateArgs(call())).toEqual([
      'template',
      '--namespace=prod',
      '--include-crds',
      '--values=/repo/chart/values-prod.yaml',
      '--set=image.tag=1.2\\,3',
      '--',
      'web',
      '/repo/chart',
    ]);
  });

  it("accepts Helm's release names: dots, digits first, 53 characters", () => {
    for (const name of ['web.v2', '0day', 'a', 'a'.repeat(53), 'shop-eu-1.canary'])
      expect(helmTemplateArgs(call({ releaseName: name })).slice(-2, -1)).toEqual([name]);
  });

  it('refuses release names that are flags, too long, or not lowercase RFC 1123', () => {
    for (const name of [
      '--post-renderer=sh',
      '--set-file=leak=/etc/passwd',
      '-x',
      'Web',
      'a_b',
      'web-',
      '.web',
      'a..b',
      '',
    ])
      expect(refusal({ releaseName: name }).message).toBe(
        `chart: releaseName ${JSON.stringify(name)} is not a Helm release name: Helm allows lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 53 characters`,
      );
    expect(refusal({ releaseName: 'a'.repeat(54) }).message).toContain('at most 53 characters');
    // The default release name is the Application's name: renderers called from code are checked too.
    expect(
      refusal({ releaseName: '--post-renderer=sh', releaseNameFrom: "the Application's name" }).message,
    ).toMatch(/^chart: the Application's name "--post-renderer=sh" is not a Helm release name/);
  });

  it('refuses a namespace that is not a namespace name', () => {
    expect(refusal({ namespace: '--kubeconfig=/x' }).message).toBe(
      'chart: namespace "--kubeconfig=/x" is not a Kubernetes namespace name',
    );
  });

  it('refuses parameter names that could end the key or start another assignment', () => {
    for (const name of ['--post-renderer', '-x', 'a=b', 'a,b=c', 'a b'])
      expect(refusal({ parameters: [{ name, value: 'v' }] }).message).toBe(
        `chart: parameters name ${JSON.stringify(name)} is not a value path: it may not start with '-' or contain '=', ',' or whitespace`,
      );
  });

  it('keeps a value that looks like a flag inside its --set token', () => {
    const args = helmTemplateArgs(call({ parameters: [{ name: 'x', value: '--post-renderer=sh' }] }));
    expect(args).toContain('--set=x=--post-renderer=sh');
    expect(args).not.toContain('--post-renderer=sh');
  });
});
