import { describe, expect, it } from 'vitest';
import { formatLoadError } from '../../../../schemas/loader/index.js';
import { errorLines, load } from '../helpers.js';

const metricTemplate = (name: string) => `apiVersion: sluice.dev/v1alpha1
kind: MetricTemplate
metadata:
  name: ${name}
spec:
  provider: {type: prometheus}
  query: up
`;

describe('YAML handling', () => {
  it('rejects a duplicate key at the repeated key', () => {
    const yaml = `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata:
  name: a
spec:
  type: slack
  address: https://x
  type: discord
`;
    expect(errorLines({ 'dup.yaml': yaml })).toEqual([
      'dup.yaml:8:3: spec.type: duplicate key "type" (first set at line 6)',
    ]);
  });

  it('reports a syntax error with its location', () => {
    const yaml = 'apiVersion: sluice.dev/v1alpha1\nkind: Project\nmetadata:\n  name: [a, b\nspec: {}\n';
    expect(errorLines({ 'syntax.yaml': yaml })).toEqual([
      'syntax.yaml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  // A monorepo: chart templates (not YAML until rendered) beside the pipeline files.
  it('skips a file that does not parse and declares no apiVersion Sluice reads; errors on one that does', () => {
    const template = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
`;
    const r = load({
      'chart/templates/deployment.yaml': template,
      'chart/templates/dup.yaml': 'a: 1\na: 2\n',
      'sluice/metric.yaml': metricTemplate('m'),
      'sluice/broken.yaml':
        'apiVersion: sluice.dev/v1alpha1\nkind: Project\nmetadata:\n  name: [a, b\nspec: {}\n',
      'flagger/canary.yaml': '"apiVersion": flagger.app/v1beta1\nkind: Canary\nspec: [a\n',
    });
    expect(r.ignored).toEqual([
      {
        file: 'chart/templates/deployment.yaml',
        reason: 'not YAML, and it declares no Sluice, Flagger, Argo CD or Argo Rollouts apiVersion',
      },
      {
        file: 'chart/templates/dup.yaml',
        reason: 'not YAML, and it declares no Sluice, Flagger, Argo CD or Argo Rollouts apiVersion',
      },
    ]);
    expect(r.errors.map((e) => formatLoadError(e).split(':').slice(0, 2).join(':'))).toEqual([
      'sluice/broken.yaml:5',
      'flagger/canary.yaml:4',
    ]);
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['m']);
  });

  it('accepts empty files and empty documents', () => {
    const r = load({
      'empty.yaml': '',
      'blank.yaml': '# nothing\n---\n---\n',
      'one.yaml': `---\n---\n${metricTemplate('m')}`,
    });
    expect(r.errors).toEqual([]);
    expect(r.objects.map((o) => o.source)).toEqual([{ file: 'one.yaml', line: 3 }]);
    expect(r.ignored).toEqual([
      { file: 'empty.yaml', reason: 'empty file' },
      { file: 'blank.yaml', reason: 'empty file' },
    ]);
  });

  it('points into the second document of a file', () => {
    const second = metricTemplate('two').replace('query: up', 'query: ""').replace('prometheus', 'graphite');
    expect(errorLines({ 'multi.yaml': `${metricTemplate('one')}---\n${second}` })).toEqual([
      'multi.yaml:14:20: spec.provider.type: must be one of: prometheus, web, job',
      'multi.yaml:15:10: spec.query: must not be empty',
    ]);
  });

  it('ignores other apiVersions, and rejects unknown Sluice versions and kinds', () => {
    const yaml = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}',
      'apiVersion: argoproj.io/v1alpha1\nkind: Experiment\nmetadata: {name: s}',
      '- a list',
      'kind: NoVersion',
      'apiVersion: sluice.dev/v1beta1\nkind: Rollout',
      'apiVersion: sluice.dev/v1alpha1\nkind: Rolout',
    ].join('\n---\n');
    const r = load({ 'k8s.yaml': yaml });
    expect(r.ignored).toEqual([
      {
        file: 'k8s.yaml',
        reason: 'line 1: apiVersion apps/v1 is not a Sluice one',
        line: 1,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'x',
      },
      {
        file: 'k8s.yaml',
        reason: 'line 5: argoproj.io/v1alpha1 Experiment has no Sluice equivalent',
        line: 5,
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Experiment',
        name: 's',
      },
      { file: 'k8s.yaml', reason: 'line 9: not a mapping', line: 9 },
      { file: 'k8s.yaml', reason: 'line 11: no apiVersion', line: 11, kind: 'NoVersion' },
    ]);
    expect(r.errors.map(formatLoadError)).toEqual([
      'k8s.yaml:13:13: apiVersion: unsupported apiVersion "sluice.dev/v1beta1": this Sluice reads sluice.dev/v1alpha1',
      'k8s.yaml:17:7: kind: unknown Sluice kind "Rolout": expected one of Application, Rollout, MetricTemplate, AlertProvider, Project, Pipeline, ApplicationSet, ImageRepository, ImagePolicy, ImageUpdateAutomation (did you mean "Rollout"?)',
    ]);
  });

  it('stops an alias bomb', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, cur] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ])
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const yaml = `apiVersion: sluice.dev/v1alpha1\nkind: Project\n${levels.join('\n')}\n`;
    expect(errorLines({ 'bomb.yaml': yaml })).toEqual([
      'bomb.yaml:1:1: YAML aliases expand too much (Excessive alias count indicates a resource exhaustion attack) (at most 100 alias expansions per document)',
    ]);
  });

  it('still reads a few aliases', () => {
    const yaml = `apiVersion: sluice.dev/v1alpha1
kind: Project
metadata: {name: p}
spec:
  sourceRepos: &repos ["*"]
  destinations: [{namespace: a}]
  description: shared
`;
    expect(load({ 'p.yaml': yaml }).errors).toEqual([]);
  });

  it('rejects a file over the size limit, naming it', () => {
    const big = `${metricTemplate('big')}#${'x'.repeat(2000)}\n`;
    expect(errorLines({ 'big.yaml': big }, { maxFileBytes: 1024 })).toEqual([
      'big.yaml:1:1: file is 2126 bytes, over the 1024-byte limit (pipeline files are small; raise maxFileBytes if this one really is one)',
    ]);
    expect(errorLines({ 'big.yaml': big })).toEqual([]);
  });
});
