// Flagger's gateway-api router turns a Canary's service.rewrite (Istio's shape plus Flagger's `type`) into a
// URLRewrite filter: authority → hostname, uri → a full-path replacement, or a prefix replacement when `type`
// says ReplacePrefixMatch. The loader reports what the Gateway API cannot express; the plugin writes the filter.
import type { GatewayFieldProblem } from './gateway-api-fields.js';

/** An HTTPRoute URLRewrite filter, as the Gateway API v1 defines it. */
export interface GatewayRewriteFilter {
  type: 'URLRewrite';
  urlRewrite: {
    hostname?: string;
    path?:
      | { type: 'ReplaceFullPath'; replaceFullPath: string }
      | { type: 'ReplacePrefixMatch'; replacePrefixMatch: string };
  };
}

/** The Gateway API's path modifier types; Flagger's default is ReplaceFullPath. */
export const REWRITE_TYPES = ['ReplaceFullPath', 'ReplacePrefixMatch'] as const;
// The Gateway API's PreciseHostname: a lowercase DNS name, no wildcard, at most 253 characters.
const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_PATH = 1024;
const FIELDS = ['uri', 'authority', 'type'];

/** service.rewrite as a URLRewrite filter, with what the Gateway API cannot express. */
export function gatewayRewriteFilter(rewrite: unknown): {
  filter?: GatewayRewriteFilter;
  problems: GatewayFieldProblem[];
} {
  const problems: GatewayFieldProblem[] = [];
  if (rewrite === null || typeof rewrite !== 'object' || Array.isArray(rewrite))
    return { problems: [{ path: [], message: 'a map of uri, authority and type' }] };
  const r = rewrite as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!FIELDS.includes(key))
      problems.push({
        path: [key],
        message: `the Gateway API's URLRewrite filter cannot express ${key}`,
        key: true,
        hint: `with provider gateway-api a rewrite has ${FIELDS.join(', ')}`,
      });
  const urlRewrite: GatewayRewriteFilter['urlRewrite'] = {};
  if (r.authority !== undefined) {
    if (typeof r.authority !== 'string' || r.authority.length > 253 || !PRECISE_HOSTNAME.test(r.authority))
      problems.push({ path: ['authority'], message: 'a lowercase host name without a port or wildcard' });
    else urlRewrite.hostname = r.authority;
  }
  const type = r.type ?? 'ReplaceFullPath';
  if (!REWRITE_TYPES.includes(type as (typeof REWRITE_TYPES)[number]))
    problems.push({ path: ['type'], message: `one of ${REWRITE_TYPES.join(', ')}` });
  if (r.uri !== undefined) {
    // A value goes into the route verbatim: a line break or a relative path is refused by the Gateway API.
    if (
      typeof r.uri !== 'string' ||
      !r.uri.startsWith('/') ||
      r.uri.length > MAX_PATH ||
      /[\s\0]/.test(r.uri)
    )
      problems.push({
        path: ['uri'],
        message: `a path starting with "/", at most ${MAX_PATH} characters, no spaces`,
      });
    else
      urlRewrite.path =
        type === 'ReplacePrefixMatch'
          ? { type: 'ReplacePrefixMatch', replacePrefixMatch: r.uri }
          : { type: 'ReplaceFullPath', replaceFullPath: r.uri };
  } else if (r.type !== undefined)
    problems.push({ path: ['type'], message: 'type says how uri replaces the path: set uri too', key: true });
  if (r.uri === undefined && r.authority === undefined)
    problems.push({ path: [], message: 'set uri, authority or both' });
  return problems.length > 0 ? { problems } : { filter: { type: 'URLRewrite', urlRewrite }, problems };
}
