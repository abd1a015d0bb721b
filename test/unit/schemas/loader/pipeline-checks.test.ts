// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is the Pipeline expression syntax under test
import { describe, expect, it } from 'vitest';
import { errorLines, load } from '../helpers.js';

const pipeline = (steps: string, extra = '') => `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: promote}
spec:
  trigger: {manual: {}}
${extra}  steps:
${steps}`;

const slack = `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata: {name: team-slack}
spec: {type: slack, channel: '#deploys', secretRef: {name: slack, key: token}}
`;

describe('Pipeline checks', () => {
  it('accepts a staging → test → approval → production pipeline with references to earlier outputs', () => {
    const r = load({
      'p.yaml': pipeline(
        `    - name: staging
      uses: sync
      with: {application: web-staging, revision: '\${{ trigger.revision }}'}
    - name: checks
      parallel:
        - {name: smoke, uses: webhook, with: {url: 'https://ci.example.com/smoke', condition: body.ok}}
        - {name: errors, uses: analysis, with: {query: 'sum(rate(x[1m]))', max: 0.01}}
    - name: approval
      uses: approve
      if: steps.checks.outcome == 'success'
    - name: promote
      uses: git-update
      with:
        repoURL: https://git.example.com/deploy.git
        file: production/web.yaml
        image: ghcr.io/acme/web
        tag: '\${{ steps.smoke.outputs.tag }}'
    - name: production
      uses: sync
      with: {application: web, revision: '\${{ steps.promote.outputs.sha }}'}
    - name: bake
      uses: wait
      with: {duration: 10m}
    - name: done
      uses: alert
      with: {provider: team-slack, message: 'promoted by \${{ steps.approval.outputs.by }}'}
`,
        `  concurrency: cancel-older
  onFailure:
    - name: tell
      uses: alert
      with: {provider: team-slack, severity: error, message: '\${{ run.failedStep }} failed'}
  alerts:
    - {name: team, providerRef: {name: team-slack}}
`,
      ),
      'slack.yaml': slack,
    });
    expect(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([]);
    expect(r.objects.map((o) => o.kind).sort()).toEqual(['AlertProvider', 'Pipeline']);
  });

  it('rejects an unknown step plugin with a did-you-mean', () => {
    expect(errorLines({ 'p.yaml': pipeline('    - {name: a, uses: aprove}\n') })).toEqual([
      'p.yaml:7:23: spec.steps[0].uses: unknown step plugin "aprove" (did you mean "approve"?); known steps: alert, analysis, approve, git-update, rollout-wait, sync, wait, webhook',
    ]);
  });

  it('rejects missing, unknown and mistyped step inputs', () => {
    expect(
      errorLines({
        'p.yaml': pipeline(`    - name: a
      uses: sync
      with: {aplication: web}
    - name: b
      uses: wait
      with: {duration: soon}
    - name: c
      uses: git-update
      with: {repoURL: 'https://g/x.git', file: a.yaml, image: x}
`),
      }),
    ).toEqual([
      'p.yaml:9:7: spec.steps[0].with: the sync step needs "application": Name of the Application.',
      'p.yaml:9:14: spec.steps[0].with.aplication: the sync step has no input "aplication" (inputs: application, repository, revision, prune) (did you mean "application"?)',
      'p.yaml:12:24: spec.steps[1].with.duration: must be a duration such as "30s" or "1h30m"',
      'p.yaml:15:7: spec.steps[2].with: image and tag go together',
    ]);
  });

  it('rejects webhook methods and headers an author may not use, at load time', () => {
    expect(
      errorLines({
        'p.yaml': pipeline(`    - name: a
      uses: webhook
      with: {url: 'https://ci.example.com/x', method: TRACE}
    - name: b
      uses: webhook
      with:
        url: 'https://ci.example.com/x'
        method: '\${{ trigger.inputs.method }}'
        headers: {Host: metadata.google.internal, X-Sluice-Signature: forged, Authorization: ok}
`),
      }),
    ).toEqual([
      'p.yaml:9:55: spec.steps[0].with.method: method "TRACE" is not allowed: use one of GET, POST, PUT, PATCH, DELETE',
      'p.yaml:15:18: spec.steps[1].with.headers: header "Host" cannot be set by a pipeline: framing, hop-by-hop and proxy headers belong to the HTTP client, X-Sluice-* to Sluice',
      'p.yaml:15:18: spec.steps[1].with.headers: header "X-Sluice-Signature" cannot be set by a pipeline: framing, hop-by-hop and proxy headers belong to the HTTP client, X-Sluice-* to Sluice',
    ]);
  });

  it('rejects references to steps that do not exist, run later, or lack the output, with file:line', () => {
    expect(
      errorLines({
        'p.yaml': pipeline(`    - name: first
      uses: webhook
      with: {url: '\${{ steps.later.outputs.url }}'}
    - name: later
      uses: sync
      with: {application: web, revision: '\${{ steps.frist.outputs.sha }}'}
    - name: third
      uses: sync
      if: steps.later.outputs.revison == 'x'
      with: {application: web, revision: '\${{ trigger.revison }}'}
    - name: fourth
      uses: wait
      with: {duration: '\${{ steps.first.outputs.status ==  }}'}
`),
      }),
    ).toEqual([
      'p.yaml:9:19: spec.steps[0].with.url: steps.later.outputs.url: step "later" has not run yet when "first" runs (a step reads only earlier steps)',
      'p.yaml:12:42: spec.steps[1].with.revision: steps.frist.outputs.sha: no step named "frist" in this Pipeline (did you mean "first"?)',
      'p.yaml:15:11: spec.steps[2].if: steps.later.outputs.revison: the sync step "later" has no output "revison" (outputs: revision, health, syncId) (did you mean "revision"?)',
      'p.yaml:16:42: spec.steps[2].with.revision: trigger.revison: trigger has no field "revison" (fields: kind, by, revision, application, project, repository, time, inputs, image) (did you mean "revision"?)',
      'p.yaml:19:24: spec.steps[3].with.duration: ${{ steps.first.outputs.status ==  }}: expected a value at the end',
    ]);
  });

  it('keeps parallel siblings from reading each other and names unique across groups and onFailure', () => {
    expect(
      errorLines({
        'p.yaml': pipeline(
          `    - name: both
      parallel:
        - {name: a, uses: wait, with: {duration: 1s}}
        - {name: b, uses: webhook, with: {url: '\${{ steps.a.outcome }}'}}
`,
          `  onFailure:
    - {name: a, uses: wait, with: {duration: 1s}}
`,
        ),
      }),
    ).toEqual([
      'p.yaml:7:14: spec.onFailure[0].name: step name "a" is already used by spec.steps[0].parallel[0]',
      'p.yaml:12:48: spec.steps[0].parallel[1].with.url: steps.a.outcome: step "a" has not run yet when "b" runs (a step reads only earlier steps)',
    ]);
  });

  it('rejects AlertProviders that do not exist, in alert steps and spec.alerts', () => {
    expect(
      errorLines({
        'p.yaml': pipeline(
          '    - {name: a, uses: alert, with: {provider: team-slak}}\n',
          '  alerts:\n    - {name: t, providerRef: {name: nobody}}\n',
        ),
        'slack.yaml': slack,
      }),
    ).toEqual([
      'p.yaml:7:37: spec.alerts[0].providerRef.name: AlertProvider "nobody" not found in namespace "default"',
      'p.yaml:9:47: spec.steps[0].with.provider: AlertProvider "team-slak" not found in namespace "default" (did you mean "team-slack"?)',
    ]);
  });

  it('accepts the git and schedule triggers and rejects two triggers at once', () => {
    const head = (trigger: string) =>
      `apiVersion: sluice.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  trigger: ${trigger}\n  steps: [{name: a, uses: wait, with: {duration: 1s}}]\n`;
    expect(errorLines({ 'p.yaml': head("{git: {paths: ['apps/web/']}}") })).toEqual([]);
    expect(errorLines({ 'p.yaml': head("{schedule: {cron: '0 6 * * 1-5'}}") })).toEqual([]);
    expect(errorLines({ 'p.yaml': head('{manual: {}, git: {}}') }).length).toBeGreaterThan(0);
  });
});
