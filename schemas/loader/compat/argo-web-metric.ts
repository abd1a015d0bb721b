// An Argo Rollouts `web` metric provider → a Sluice MetricTemplate's spec.web. Argo passes secrets to a
// web metric through template arguments read from a Kubernetes Secret (valueFrom.secretKeyRef) and used
// in a header value; Sluice names the secret in the header (secretRef), resolved from the worker's secret
// store under the administrator's grants, so the secret must exist there — the converter says so.
import type { OriginMap } from '../origin.js';
import { convertQuery } from './argo-analysis.js';
import { list, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** A template argument whose value comes from a Kubernetes Secret. */
export interface SecretArg {
  name: string;
  key: string;
}

/** The template's arguments that come from Secrets, by argument name. */
export function secretArgs(args: unknown): Map<string, SecretArg> {
  const out = new Map<string, SecretArg>();
  for (const a of list(args) as Record<string, unknown>[]) {
    const ref = (a.valueFrom as { secretKeyRef?: Record<string, unknown> } | undefined)?.secretKeyRef;
    const name = str(ref?.name);
    const key = str(ref?.key);
    if (typeof a.name === 'string' && name && key) out.set(a.name, { name, key });
  }
  return out;
}

const ARG = /\{\{\s*args\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** The secret arguments a text uses. */
function secretsIn(text: unknown, secrets: Map<string, SecretArg>): string[] {
  if (typeof text !== 'string') return [];
  return [...text.matchAll(ARG)].map((m) => m[1] as string).filter((a) => secrets.has(a));
}

/** The headers of an Argo web metric: literal ones as they are, secret-valued ones as secretRefs. */
function headers(
  c: Conversion,
  origin: OriginMap,
  at: string,
  secrets: Map<string, SecretArg>,
): Record<string, unknown>[] {
  return (list(c.peek(`${at}.headers`)) as unknown[]).map((_, i) => {
    const from = `${at}.headers.${i}`;
    const name = c.move(origin, `spec.web.headers.${i}.name`, `${from}.key`);
    const value = c.take(`${from}.value`);
    const used = secretsIn(value, secrets);
    if (used.length === 0) {
      origin.set(p(`spec.web.headers.${i}.value`), p(`${from}.value`));
      return { name, value: convertQuery(value) };
    }
    const arg = used[0] as string;
    const ref = secrets.get(arg) as SecretArg;
    if (used.length > 1) {
      c.error(`${from}.value`, 'a header value may hold one secret argument', 'keep one secret per header');
      return { name };
    }
    // Argo fills the secret into text ("Bearer {{args.token}}"); Sluice sends the secret's value as it is.
    const whole = String(value).replace(ARG, '<secret value>');
    c.warn(
      `${from}.value`,
      `the header's value comes from Kubernetes Secret "${ref.name}" (key "${ref.key}") through argument "${arg}": Sluice reads secret "${ref.name}" key "${ref.key}" from the worker's secret store, which must hold it${whole === '<secret value>' ? '' : ` as the whole header value, "${whole}"`}, granted in secretAccess for the URL's host`,
    );
    origin.set(p(`spec.web.headers.${i}.secretRef`), p(`${from}.value`));
    return { name, secretRef: { name: ref.name, key: ref.key } };
  });
}

/** The body of an Argo web metric: `body` as it is, or `jsonBody` as JSON (with its Content-Type). */
function body(c: Conversion, origin: OriginMap, at: string, sent: Record<string, unknown>[]): unknown {
  const json = c.take(`${at}.jsonBody`);
  if (json === undefined) return convertQuery(c.move(origin, 'spec.web.body', `${at}.body`));
  origin.set(p('spec.web.body'), p(`${at}.jsonBody`));
  if (!sent.some((h) => String(h.name).toLowerCase() === 'content-type'))
    sent.push({ name: 'Content-Type', value: 'application/json' });
  return convertQuery(JSON.stringify(json));
}

/** spec.web of the MetricTemplate for the Argo web metric at `at` (…provider.web), or undefined when refused. */
export function convertWebMetric(
  c: Conversion,
  origin: OriginMap,
  at: string,
  secrets: Map<string, SecretArg>,
): Record<string, unknown> | undefined {
  let refused = false;
  const refuse = (field: string, message: string, hint: string) => {
    c.error(`${at}.${field}`, message, hint);
    refused = true;
  };
  if (c.peek(`${at}.insecure`) === true)
    refuse(
      'insecure',
      'insecure is not converted: Sluice always verifies TLS certificates',
      "give the endpoint a certificate the worker trusts (add its CA to the worker's NODE_EXTRA_CA_CERTS)",
    );
  else c.take(`${at}.insecure`);
  if (c.peek(`${at}.authentication`) !== undefined)
    refuse(
      'authentication',
      'authentication (sigv4, oauth2) is not converted',
      "send a token in a header whose value comes from a secret in the worker's store",
    );
  const method = c.peek(`${at}.method`);
  if (method !== undefined && method !== 'GET' && method !== 'POST')
    refuse(
      'method',
      `method ${String(method)} is not converted: Sluice's web metrics send GET or POST`,
      'use GET or POST',
    );
  for (const field of ['url', 'body', 'jsonPath'])
    if (secretsIn(c.peek(`${at}.${field}`), secrets).length > 0)
      refuse(
        field,
        `a secret argument in ${field} is not converted: Sluice sends secrets in headers only`,
        'pass the secret in a header (headers: [{key: Authorization, value: "{{args.token}}"}])',
      );
  if (refused) {
    c.take(at);
    return undefined;
  }
  const sent = headers(c, origin, at, secrets);
  const sentBody = body(c, origin, at, sent); // may add a Content-Type header
  const timeout = c.move(origin, 'spec.web.timeout', `${at}.timeoutSeconds`);
  return {
    url: convertQuery(c.move(origin, 'spec.web.url', `${at}.url`)),
    method: c.move(origin, 'spec.web.method', `${at}.method`),
    body: sentBody,
    headers: sent.length ? sent : undefined,
    jsonPath: c.move(origin, 'spec.web.jsonPath', `${at}.jsonPath`),
    timeout: typeof timeout === 'number' ? `${timeout}s` : timeout,
  };
}
