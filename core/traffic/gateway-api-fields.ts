import { escapeRegex } from './escape-regex.js';

// Flagger writes a Canary's service.match and service.headers in Istio's shape for every provider; its
// gateway-api router translates them into HTTPRouteMatches and header-modifier filters. This is that
// translation, shared by the loader (a shape the Gateway API cannot express is an error naming the field)
// and the gateway-api plugin (which writes the result). Unlike Flagger, nothing is dropped silently.

/** A path (relative to service.match or service.headers) and why the Gateway API cannot express it. */
export interface GatewayFieldProblem {
  path: (string | number)[];
  message: string;
  hint?: string;
  /** The key itself is the problem (a field the Gateway API has no place for), not its value. */
  key?: true;
}

/** An HTTPRouteMatch header or query parameter condition. */
export interface GatewayValueMatch {
  type: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}

/** An HTTPRouteMatch, as the Gateway API v1 defines it. */
export interface GatewayRouteMatch {
  path?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  method?: string;
  headers?: GatewayValueMatch[];
  queryParams?: GatewayValueMatch[];
}

/** An HTTPRoute rule filter (RequestHeaderModifier / ResponseHeaderModifier here). */
export interface GatewayHeaderFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier';
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
}

interface HeaderModifier {
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
}

// The Gateway API's HTTPHeaderName: an RFC 7230 token, at most 256 characters.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
// Gateway API list bounds (HTTPRouteMatch.headers / queryParams, HTTPHeaderFilter.set / add / remove).
const MAX_ITEMS = 16;
const MAX_VALUE = 4096;
/** Matches per HTTPRoute rule the Gateway API allows. */
export const MAX_RULE_MATCHES = 64;
const MAX_SERVICE_MATCHES = 32;
const MATCH_FIELDS = ['uri', 'method', 'headers', 'queryParams'];

type Problems = GatewayFieldProblem[];
const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** One Istio StringMatch as a Gateway API condition; prefix becomes a regular expression. */
function condition(
  at: (string | number)[],
  m: unknown,
  problems: Problems,
): { type: 'Exact' | 'RegularExpression' | 'Prefix'; value: string } | undefined {
  const set = isMap(m) ? Object.keys(m) : [];
  const known = set.filter((k) => ['exact', 'prefix', 'regex'].includes(k));
  if (!isMap(m) || set.length !== 1 || known.length !== 1 || typeof m[known[0] as string] !== 'string') {
    problems.push({
      path: at,
      message: `set exactly one of exact, prefix or regex, as a string (got ${set.join(', ') || 'none'})`,
    });
    return undefined;
  }
  const key = known[0] as 'exact' | 'prefix' | 'regex';
  const value = m[key] as string;
  if (value.length > MAX_VALUE || /[\r\n\0]/.test(value)) {
    problems.push({ path: [...at, key], message: `a value of at most ${MAX_VALUE} characters, one line` });
    return undefined;
  }
  return { type: key === 'exact' ? 'Exact' : key === 'regex' ? 'RegularExpression' : 'Prefix', value };
}

/** Headers or query parameters of an Istio match as Gateway API conditions. */
function valueMatches(at: (string | number)[], map: unknown, problems: Problems): GatewayValueMatch[] {
  if (!isMap(map)) {
    problems.push({ path: at, message: 'a map of name → {exact | prefix | regex}' });
    return [];
  }
  const entries = Object.entries(map);
  if (entries.length > MAX_ITEMS)
    problems.push({ path: at, message: `the Gateway API matches at most ${MAX_ITEMS} of these per match` });
  return entries.flatMap(([name, cond]) => {
    if (!HEADER_NAME.test(name)) {
      problems.push({ path: [...at, name], message: `${JSON.stringify(name)} is not an HTTP token` });
      return [];
    }
    const c = condition([...at, name], cond, problems);
    if (!c) return [];
    return c.type === 'Prefix'
      ? [{ type: 'RegularExpression' as const, name, value: `^${escapeRegex(c.value)}.*` }]
      : [{ type: c.type, name, value: c.value }];
  });
}

/** One Istio HTTPMatchRequest as an HTTPRouteMatch. */
function routeMatch(at: (string | number)[], m: unknown, problems: Problems): GatewayRouteMatch {
  if (!isMap(m)) {
    problems.push({ path: at, message: 'a match is a map (uri, method, headers, queryParams)' });
    return {};
  }
  const out: GatewayRouteMatch = {};
  for (const key of Object.keys(m))
    if (!MATCH_FIELDS.includes(key))
      problems.push({
        path: [...at, key],
        message: `the Gateway API's HTTPRouteMatch cannot express ${key}`,
        key: true,
        hint: `with provider gateway-api a match has ${MATCH_FIELDS.join(', ')}`,
      });
  if (m.uri !== undefined) {
    const c = condition([...at, 'uri'], m.uri, problems);
    if (c && c.type !== 'RegularExpression' && !c.value.startsWith('/'))
      problems.push({ path: [...at, 'uri'], message: 'an exact or prefix path starts with "/"' });
    else if (c) out.path = { type: c.type === 'Prefix' ? 'PathPrefix' : c.type, value: c.value };
  }
  if (m.method !== undefined) {
    const c = condition([...at, 'method'], m.method, problems);
    if (c && (c.type !== 'Exact' || !METHODS.includes(c.value)))
      problems.push({
        path: [...at, 'method'],
        message: `the Gateway API matches one method exactly: ${METHODS.join(', ')}`,
      });
    else if (c) out.method = c.value;
  }
  if (m.headers !== undefined) out.headers = valueMatches([...at, 'headers'], m.headers, problems);
  if (m.queryParams !== undefined)
    out.queryParams = valueMatches([...at, 'queryParams'], m.queryParams, problems);
  return out;
}

/** service.match (Istio HTTPMatchRequests) as HTTPRouteMatches, with what cannot be expressed. */
export function gatewayRouteMatches(match: unknown): { matches: GatewayRouteMatch[]; problems: Problems } {
  const problems: Problems = [];
  if (!Array.isArray(match)) return { matches: [], problems: [{ path: [], message: 'a list of matches' }] };
  // Each rule (sticky canary, sticky primary, weighted) carries all of them; a route holds at most 128 matches.
  if (match.length > MAX_SERVICE_MATCHES)
    problems.push({
      path: [],
      message: `at most ${MAX_SERVICE_MATCHES} matches: every rule of the HTTPRoute carries each of them, and a route holds at most 128`,
    });
  return { matches: match.map((m, i) => routeMatch([i], m, problems)), problems };
}

/** One side (request or response) of Istio Headers as a header modifier. */
function modifier(at: (string | number)[], ops: unknown, problems: Problems): HeaderModifier {
  if (!isMap(ops)) {
    problems.push({ path: at, message: 'a map of set, add, remove' });
    return {};
  }
  const out: HeaderModifier = {};
  for (const [op, value] of Object.entries(ops)) {
    const here = [...at, op];
    if (op === 'remove') {
      const names = Array.isArray(value) ? value : [];
      if (!Array.isArray(value) || names.some((n) => typeof n !== 'string' || !HEADER_NAME.test(n)))
        problems.push({ path: here, message: 'a list of header names (HTTP tokens)' });
      else out.remove = names as string[];
      if (names.length > MAX_ITEMS) problems.push({ path: here, message: `at most ${MAX_ITEMS} headers` });
    } else if (op === 'set' || op === 'add') {
      if (!isMap(value)) {
        problems.push({ path: here, message: 'a map of header name → value' });
        continue;
      }
      const entries = Object.entries(value);
      if (entries.length > MAX_ITEMS) problems.push({ path: here, message: `at most ${MAX_ITEMS} headers` });
      const seen = new Set<string>();
      const headers = entries.flatMap(([name, v]) => {
        // A value goes into a header verbatim: a line break would start another header.
        if (!HEADER_NAME.test(name) || seen.has(name.toLowerCase())) {
          problems.push({
            path: [...here, name],
            message: `${JSON.stringify(name)} is not a header name used once`,
          });
          return [];
        }
        seen.add(name.toLowerCase());
        if (typeof v !== 'string' || v.length > MAX_VALUE || /[\r\n\0]/.test(v)) {
          problems.push({
            path: [...here, name],
            message: `a header value is one line of at most ${MAX_VALUE} characters`,
          });
          return [];
        }
        return [{ name, value: v }];
      });
      out[op] = headers.sort((a, b) => a.name.localeCompare(b.name));
    } else
      problems.push({
        path: here,
        message: `the Gateway API's header filters cannot express ${op}`,
        key: true,
        hint: 'use set, add or remove',
      });
  }
  return out;
}

/** service.headers (Istio Headers) as RequestHeaderModifier / ResponseHeaderModifier filters. */
export function gatewayHeaderFilters(headers: unknown): {
  filters: GatewayHeaderFilter[];
  problems: Problems;
} {
  const problems: Problems = [];
  if (!isMap(headers))
    return { filters: [], problems: [{ path: [], message: 'a map of request, response' }] };
  const filters: GatewayHeaderFilter[] = [];
  for (const [side, ops] of Object.entries(headers)) {
    if (side === 'request')
      filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: modifier([side], ops, problems) });
    else if (side === 'response')
      filters.push({
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: modifier([side], ops, problems),
      });
    else
      problems.push({
        path: [side],
        message: `the Gateway API cannot modify headers of ${side}`,
        key: true,
        hint: 'use request or response',
      });
  }
  return { filters, problems };
}
