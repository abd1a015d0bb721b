import { describe, expect, it } from 'vitest';
import { errorLines } from '../helpers.js';

const template = (spec: string) => ({
  't.yaml': `apiVersion: sluice.dev/v1alpha1
kind: MetricTemplate
metadata: {name: smoke}
spec:
${spec}`,
});

const job = `  job:
    spec:
      backoffLimit: 0
      template: {spec: {restartPolicy: Never, containers: [{name: t, image: busybox, args: ["{{ target }}"]}]}}
`;

describe('MetricTemplate provider job', () => {
  it('accepts a job with labels, annotations and a timeout up to 30m', () => {
    expect(errorLines(template(`  provider: {type: job}\n${job}`))).toEqual([]);
    expect(
      errorLines(
        template(
          `  provider: {type: job}\n  job:\n    metadata: {labels: {team: a}, annotations: {note: x}}\n    timeout: 30m\n${job.split('\n').slice(1).join('\n')}`,
        ),
      ),
    ).toEqual([]);
  });

  it('needs spec.job, and refuses what a job metric would ignore', () => {
    expect(errorLines(template('  provider: {type: job}\n'))).toEqual([
      't.yaml:4:1: spec: provider job needs spec.job: the Job to run',
    ]);
    expect(
      errorLines(
        template(
          `  provider: {type: job, address: "http://p:9090", secretRef: {name: s, key: k}}\n  query: up\n${job}`,
        ),
      ),
    ).toEqual([
      't.yaml:5:25: spec.provider.address: a job metric runs in the Rollout’s cluster: it has no address (remove it)',
      't.yaml:5:51: spec.provider.secretRef: a job metric sends no credentials: give the Job’s pod what it needs (remove it)',
      't.yaml:6:3: spec.query: a job metric runs no query: its value is 1 when the Job succeeds, 0 when it fails (remove it)',
    ]);
  });

  it('refuses a namespace or name in the Job metadata (the Job runs in the Rollout’s namespace)', () => {
    const lines = errorLines(
      template(
        `  provider: {type: job}\n  job:\n    metadata: {namespace: kube-system}\n${job.split('\n').slice(1).join('\n')}`,
      ),
    );
    expect(lines).toEqual([expect.stringMatching(/^t\.yaml:7:\d+: spec\.job\.metadata\.namespace: /)]);
  });

  it('refuses a timeout over 30m, pointing at it', () => {
    expect(
      errorLines(
        template(`  provider: {type: job}\n  job:\n    timeout: 31m\n${job.split('\n').slice(1).join('\n')}`),
      ),
    ).toEqual([
      expect.stringMatching(
        /^t\.yaml:7:14: spec\.job\.timeout: timeout 31m is longer than 30m, the most an analysis round waits for a Job/,
      ),
    ]);
  });

  it('keeps query required for prometheus and refuses spec.job there', () => {
    expect(errorLines(template('  provider: {type: prometheus}\n'))).toEqual([
      't.yaml:4:1: spec: provider prometheus needs spec.query: the query to run',
    ]);
    expect(errorLines(template(`  provider: {type: prometheus}\n  query: up\n${job}`))).toEqual([
      expect.stringMatching(
        /^t\.yaml:7:3: spec\.job: spec\.job applies to provider type job only, not prometheus/,
      ),
    ]);
  });
});
