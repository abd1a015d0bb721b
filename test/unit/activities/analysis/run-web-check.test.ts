// runAnalysis with web MetricTemplates against a real local endpoint (the endpoint under test): the URL
// filled and encoded, secret headers resolved under the administrator's grants, and the egress policy
// applied to every web URL, the worker's own Prometheus origin included.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analysisActivities } from '../../../../activities/analysis/index.js';
import { envSecretSource, SecretStore } from '../../../../activities/secrets/secret-store.js';
import type { SecretGrant } from '../../../../activities/trust/config.js';
import { ProjectRegistry } from '../../../../activities/trust/projects.js';
import { SecretAccess } from '../../../../activities/trust/secret-access.js';
import type { AnalysisCheck, AnalysisTarget } from '../../../../core/analysis/types.js';
import type { MetricTemplateSpec } from '../../../../schemas/types.generated.js';
import { type Receiver, startReceiver } from '../../../../scripts/stack/simulators/http-receiver.js';
import { testCaller } from '../../../helpers/trust.js';

const TOKEN = 'Bearer web-metric-token-c0ffee';
const store = new SecretStore([envSecretSource({ SLUICE_SECRET_BUDGET_API_TOKEN: TOKEN })]);
const secretsFor = (grants: SecretGrant[]) =>
  new SecretAccess(store, grants, new ProjectRegistry({ projects: [], repositories: [] }));
const loopback = { allow: ['127.0.0.1/32'], maxResponseBytes: 1024 * 1024 };
const rollout: AnalysisTarget = {
  name: 'shop',
  namespace: 'prod',
  target: 'shop',
  primary: 'shop-primary',
  service: 'shop',
  provider: 'istio',
};
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver({
    default: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"data":{"remaining":0.4}}',
    },
  });
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
});

const budget = (web: Partial<NonNullable<MetricTemplateSpec['web']>> = {}): MetricTemplateSpec => ({
  provider: { type: 'web' },
  web: {
    url: `${receiver.url}/api/v1/budget?svc={{ target }}&q={{ variables.q }}`,
    headers: [
      { name: 'Authorization', secretRef: { name: 'budget-api', key: 'token' } },
      { name: 'X-Namespace', value: '{{ namespace }}' },
    ],
    jsonPath: '{$.data.remaining}',
    ...web,
  },
});
const check = (template: MetricTemplateSpec, successCondition = 'result >= 0.25'): AnalysisCheck => ({
  name: 'error-budget',
  template,
  variables: { q: 'a b&c=d/e' },
  successCondition,
});
const run = (
  checks: AnalysisCheck[],
  opts: { grants?: SecretGrant[]; egress?: typeof loopback; defaultPrometheusAddress?: string } = {},
) =>
  analysisActivities({
    secrets: secretsFor(opts.grants ?? [{ name: 'budget-api', projects: ['*'], hosts: ['127.0.0.1:*'] }]),
    egress: opts.egress ?? loopback,
    queryRetry: { attempts: 2, delayMs: 10 },
    ...(opts.defaultPrometheusAddress ? { defaultPrometheusAddress: opts.defaultPrometheusAddress } : {}),
  }).runAnalysis({ caller: testCaller, rollout, checks });

describe('runAnalysis with a web MetricTemplate', () => {
  it('calls the filled URL (values URL-encoded) with its headers and judges the value', async () => {
    const r = await run([check(budget()), { ...check(budget(), 'result >= 0.5'), name: 'strict' }]);
    expect(r.checks.map((c) => c.verdict)).toEqual(['Successful', 'Failed']);
    const url = `${receiver.url}/api/v1/budget?svc=shop&q=a%20b%26c%3Dd%2Fe`;
    expect(r.checks[0]).toMatchObject({
      value: 0.4,
      query: url,
      message: 'error-budget 0.4 meets "result >= 0.25"',
    });
    expect(r.checks[1]?.message).toBe('strict 0.4 fails "result >= 0.5"');
    const [req] = receiver.requests;
    expect(req?.path).toBe('/api/v1/budget?svc=shop&q=a%20b%26c%3Dd%2Fe');
    expect(req?.headers.authorization).toBe(TOKEN);
    expect(req?.headers['x-namespace']).toBe('prod');
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('fills the body of a POST as it is', async () => {
    const template = budget({
      method: 'POST',
      url: `${receiver.url}/api/v1/budget`,
      body: '{"svc": "{{ target }}", "window": "{{ interval }}"}',
    });
    const r = await run([{ ...check(template), interval: '5m' }]);
    expect(r.checks[0]?.verdict).toBe('Successful');
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', body: '{"svc": "shop", "window": "5m"}' });
  });

  it('a URL that does not parse once filled is an Error, not an unreachable endpoint', async () => {
    const r = await run([check(budget({ url: 'http://[{{ target }}]/' }))]);
    expect(r.checks[0]).toMatchObject({
      verdict: 'Error',
      message: 'error-budget: web.url is not an http:// or https:// URL once its placeholders are filled',
    });
  });

  it('an unknown placeholder in the URL is an Error naming web.url', async () => {
    const r = await run([check(budget({ url: `${receiver.url}/?svc={{ targt }}` }))]);
    expect(r.checks[0]?.verdict).toBe('Error');
    expect(r.checks[0]?.message).toBe(
      'error-budget: web.url uses an unknown placeholder {{ targt }} (did you mean "target"?)',
    );
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('web MetricTemplate attacks', () => {
  it('a secret granted for another host is never sent to the URL a template names', async () => {
    const r = await run([check(budget())], {
      grants: [{ name: 'budget-api', projects: ['*'], hosts: ['status.internal'] }],
    });
    expect(r.checks[0]?.verdict).toBe('Error');
    expect(r.checks[0]?.message).toContain(
      `secret "budget-api" may not be sent to ${new URL(receiver.url).host}: its grant allows status.internal`,
    );
    expect(receiver.requests).toHaveLength(0);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('a secret granted to another Project is refused', async () => {
    const r = await run([check(budget())], {
      grants: [{ name: 'budget-api', projects: ['payments'], hosts: ['127.0.0.1:*'] }],
    });
    expect(r.checks[0]?.message).toContain('secret "budget-api" is not granted to Project "default"');
    expect(receiver.requests).toHaveLength(0);
  });

  it('the egress policy holds for web URLs, even on the origin of the worker’s own Prometheus', async () => {
    // Default egress: public addresses only. A prometheus template may name the worker's Prometheus; a web
    // template there could POST to its admin API, so it is refused like any other loopback address.
    const template = budget({
      method: 'POST',
      url: `${receiver.url}/api/v1/admin/tsdb/delete_series?match[]=up`,
      headers: [],
    });
    const r = await run([check(template)], {
      egress: { allow: [], maxResponseBytes: 1024 },
      defaultPrometheusAddress: receiver.url,
    });
    expect(r.checks[0]?.verdict).toBe('Error');
    expect(r.checks[0]?.message).toContain(
      'egress refused: 127.0.0.1 (loopback), which the egress policy denies',
    );
    expect(receiver.requests).toHaveLength(0);
  });
});
