import { describe, expect, it } from 'vitest';
import { jsonPathProblem, normalizeJsonPath } from '../../../../core/analysis/json-path.js';
import { errorLines } from '../helpers.js';

const template = (spec: string) => ({
  't.yaml': `apiVersion: sluice.dev/v1alpha1
kind: MetricTemplate
metadata: {name: budget}
spec:
${spec}`,
});
const web = (fields: string) => template(`  provider: {type: web}\n  web:\n${fields}`);

describe('MetricTemplate providers', () => {
  it('accepts a prometheus query and a web request with every field', () => {
    expect(errorLines(template('  provider: {type: prometheus}\n  query: vector(1)\n'))).toEqual([]);
    expect(
      errorLines(
        web(`    url: "https://status.internal/api/v1/budget?svc={{ target }}&w={{ variables.window }}"
    method: POST
    headers:
      - {name: Accept, value: application/json}
      - {name: Authorization, secretRef: {name: budget-api, key: token}}
    body: '{"svc": "{{ target }}"}'
    jsonPath: "{$.data.remaining}"
    timeout: 30s
`),
      ),
    ).toEqual([]);
  });

  it('each type needs its own field', () => {
    expect(errorLines(template('  provider: {type: prometheus}\n'))).toEqual([
      't.yaml:4:1: spec.query: missing required field for provider type prometheus (the PromQL query to run, e.g. query: sum(rate(http_requests_total[1m])))',
    ]);
    expect(errorLines(template('  provider: {type: web}\n'))).toEqual([
      't.yaml:4:1: spec.web: missing required field for provider type web (the request to send: web: {url: https://…, jsonPath: "{$.data.value}"})',
    ]);
  });

  it('refuses the fields the other type reads', () => {
    expect(
      errorLines(
        template('  provider: {type: prometheus}\n  query: vector(1)\n  web: {url: "https://x.test/"}\n'),
      ),
    ).toEqual([
      't.yaml:7:3: spec.web: web applies to provider type web only, not prometheus (remove spec.web, or set provider.type: web)',
    ]);
    expect(
      errorLines(
        template(
          '  provider: {type: web, address: "https://x.test", secretRef: {name: a, key: b}}\n  query: up\n  web: {url: "https://x.test/"}\n',
        ),
      ),
    ).toEqual([
      't.yaml:5:25: spec.provider.address: the web provider does not read this field (set the URL to call in spec.web.url)',
      expect.stringMatching(
        /^t\.yaml:5:52: spec\.provider\.secretRef: the web provider does not read this field \(send a secret as a request header/,
      ),
      't.yaml:6:3: spec.query: the web provider does not read this field (a web metric is its request: set spec.web.url (and jsonPath))',
    ]);
  });

  it('checks the url, method, body, headers, timeout and jsonPath', () => {
    expect(errorLines(web('    url: "ftp://x.test/"\n'))).toEqual([
      't.yaml:7:10: spec.web.url: must be an http:// or https:// URL',
    ]);
    expect(errorLines(web('    url: "https://x.test/?svc={{ app }}"\n'))).toEqual([
      expect.stringMatching(/^t\.yaml:7:10: spec\.web\.url: may only use the placeholders \{\{ target \}\}/),
    ]);
    expect(errorLines(web('    url: "https://x.test/"\n    method: PUT\n'))).toEqual([
      't.yaml:8:13: spec.web.method: must be one of: GET, POST',
    ]);
    expect(errorLines(web('    url: "https://x.test/"\n    body: "{}"\n'))).toEqual([
      't.yaml:8:5: spec.web.body: a GET request has no body (set web.method: POST)',
    ]);
    expect(
      errorLines(
        web('    url: "https://x.test/"\n    headers: [{name: Authorization}, {name: "X Y", value: v}]\n'),
      ),
    ).toEqual([
      't.yaml:8:15: spec.web.headers[0]: must set exactly one of: value, secretRef',
      expect.stringMatching(/^t\.yaml:8:45: spec\.web\.headers\[1\]\.name: must be an HTTP header name/),
    ]);
    expect(
      errorLines(
        web('    url: "https://x.test/"\n    headers: [{name: A, value: v, secretRef: {name: s, key: k}}]\n'),
      ),
    ).toEqual([expect.stringMatching(/spec\.web\.headers\[0\]: set only one of: value, secretRef/)]);
    expect(
      errorLines(web('    url: "https://x.test/"\n    headers: [{name: Host, value: metadata.internal}]\n')),
    ).toEqual([
      expect.stringMatching(
        /^t\.yaml:8:22: spec\.web\.headers\[0\]\.name: header "Host" cannot be set by a pipeline/,
      ),
    ]);
    expect(errorLines(web('    url: "https://x.test/"\n    timeout: 2m\n'))).toEqual([
      't.yaml:8:14: spec.web.timeout: must be at most 30s (an analysis round retries an unreachable endpoint three times within its 3 minutes)',
    ]);
    expect(errorLines(web('    url: "https://x.test/"\n    jsonPath: "{$.items[?(@.ok)].value}"\n'))).toEqual(
      [
        't.yaml:8:15: spec.web.jsonPath: filter expressions [?(...)] are not supported (name the value by its path, e.g. {$.data.items[0].value}; let the endpoint do the filtering)',
      ],
    );
  });
});

describe('jsonPath forms', () => {
  it('reads Argo (Kubernetes) paths as JSONPath', () => {
    expect(normalizeJsonPath('{$.data.ok}')).toBe('$.data.ok');
    expect(normalizeJsonPath('{.data.ok}')).toBe('$.data.ok');
    expect(normalizeJsonPath('data.ok')).toBe('$.data.ok');
    expect(normalizeJsonPath('{[0].v}')).toBe('$[0].v');
    expect(normalizeJsonPath('{}')).toBe('$');
    expect(normalizeJsonPath('$')).toBe('$');
  });

  it('refuses scripts, filters and templates with several paths', () => {
    expect(jsonPathProblem('{$.data.ok}')).toBeUndefined();
    expect(jsonPathProblem("$['a b'].c")).toBeUndefined();
    expect(jsonPathProblem('$..[(@.length-1)]')).toBe('script expressions [(...)] are not supported');
    expect(jsonPathProblem('$[ ?(@.x)]')).toBe('filter expressions [?(...)] are not supported');
    expect(jsonPathProblem('{.a} {.b}')).toBe('a jsonPath holds one path, e.g. {$.data.value}');
  });
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
      't.yaml:4:1: spec.job: missing required field for provider type job (the Job to run: job: {spec: {template: {spec: {containers: […]}}}})',
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

  it('refuses spec.job for prometheus', () => {
    expect(errorLines(template(`  provider: {type: prometheus}\n  query: up\n${job}`))).toEqual([
      expect.stringMatching(/^t\.yaml:7:3: spec\.job: job applies to provider type job only, not prometheus/),
    ]);
  });
});
