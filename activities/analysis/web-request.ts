// A web MetricTemplate's request for one check: placeholders filled (URL-encoded in the URL) and secret
// headers resolved through SecretAccess with the URL as their destination, so a secret granted for one
// host is never sent to another.

import { WHOLE_ANSWER } from '../../core/analysis/json-path.js';
import { DEFAULT_WEB_TIMEOUT, MAX_WEB_TIMEOUT } from '../../core/analysis/web-limits.js';
import { durationMs } from '../../core/duration.js';
import type { Caller } from '../../core/identity.js';
import type { MetricProviderConfig } from '../../plugins/metrics/types.js';
import type { WebMetric } from '../../schemas/types.generated.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { ProviderConfigError } from './provider-config.js';
import { type QueryModel, renderQuery } from './template.js';

/** The URL a web metric calls for a check: its query, as results and messages show it. */
export function webUrl(web: WebMetric, model: QueryModel): string {
  const url = renderQuery(web.url, model, { what: 'web.url', encode: encodeURIComponent });
  // A bad URL is the template's fault, not the endpoint's: say so here instead of retrying a fetch.
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new ProviderConfigError(
      'web.url is not an http:// or https:// URL once its placeholders are filled',
    );
  return url;
}

/** The web provider's settings for a check that calls `url`, secret headers resolved for that URL. */
export async function webProviderConfig(
  web: WebMetric,
  url: string,
  model: QueryModel,
  secrets: SecretAccess,
  caller: Caller,
): Promise<MetricProviderConfig> {
  const headers: NonNullable<MetricProviderConfig['web']>['headers'] = [];
  for (const h of web.headers ?? []) {
    if (h.secretRef) {
      const values = await secrets.resolve(h.secretRef, { caller, sendTo: url });
      const value = values[h.secretRef.key];
      if (value === undefined)
        throw new ProviderConfigError(
          `header ${h.name}: secret "${h.secretRef.name}" has no key "${h.secretRef.key}"`,
        );
      headers.push({ name: h.name, value, secret: true });
    } else
      headers.push({
        name: h.name,
        value: renderQuery(h.value ?? '', model, { what: `header ${h.name}` }),
        secret: false,
      });
  }
  return {
    type: 'web',
    web: {
      method: web.method ?? 'GET',
      headers,
      ...(web.body !== undefined && { body: renderQuery(web.body, model, { what: 'web.body' }) }),
      jsonPath: web.jsonPath ?? WHOLE_ANSWER,
      // The loader refuses more; the cap holds for templates that reach the worker any other way too.
      timeoutMs: Math.min(durationMs(web.timeout ?? DEFAULT_WEB_TIMEOUT), durationMs(MAX_WEB_TIMEOUT)),
    },
  };
}
