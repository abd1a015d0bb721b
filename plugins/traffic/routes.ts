import { escapeRegex } from '../../core/traffic/escape-regex.js';
import type { TrafficCapabilities } from '../../core/traffic/providers.js';
import type { RequestMatch, RouteSpec, Routes, StringMatch } from '../../core/traffic/routes.js';
import { TrafficConfigError } from './errors.js';

/** All traffic on the primary: what a new route starts with and what finalize leaves. */
export const PRIMARY_ONLY: RouteSpec = { primaryWeight: 100, canaryWeight: 0 };

/** Throws TrafficConfigError unless the weights are whole percentages adding up to 100 and the provider can carry the spec out. */
export function checkRouteSpec(provider: string, caps: TrafficCapabilities, spec: RouteSpec): void {
  const { primaryWeight: p, canaryWeight: c } = spec;
  if (![p, c].every((w) => Number.isInteger(w) && w >= 0 && w <= 100) || p + c !== 100)
    throw new TrafficConfigError(
      `${provider}: weights must be whole numbers 0-100 adding up to 100, got primary ${p} / canary ${c}`,
    );
  if (spec.mirror && !caps.mirror)
    throw new TrafficConfigError(`the ${provider} provider cannot mirror traffic`);
  if (spec.mirror && c !== 0)
    throw new TrafficConfigError(
      `${provider}: mirroring sends all traffic to the primary (canary weight 0), got ${c}`,
    );
  if (spec.match?.length && !caps.match)
    throw new TrafficConfigError(`the ${provider} provider cannot route by header or cookie (A/B testing)`);
}

/** Routes as a getRoutes answers them. */
export function routesOf(primaryWeight: number, canaryWeight: number, mirrored = false): Routes {
  return { primaryWeight, canaryWeight, mirrored };
}

/** Whether a RouteSpec carries A/B matches. */
export function hasMatch(spec: RouteSpec): spec is RouteSpec & { match: RequestMatch[] } {
  return (spec.match?.length ?? 0) > 0;
}

/** The one condition of a StringMatch; TrafficConfigError unless exactly one of exact, prefix, regex is set. */
export function matchCondition(
  what: string,
  m: StringMatch,
): { type: 'exact' | 'prefix' | 'regex'; value: string } {
  const set = (['exact', 'prefix', 'regex'] as const).filter((k) => m[k] !== undefined);
  if (set.length !== 1)
    throw new TrafficConfigError(
      `${what}: set exactly one of exact, prefix or regex (got ${set.join(', ') || 'none'})`,
    );
  const type = set[0] as 'exact' | 'prefix' | 'regex';
  return { type, value: m[type] as string };
}

/** A StringMatch as one regular expression over the whole value. */
export function asRegex(what: string, m: StringMatch): string {
  const c = matchCondition(what, m);
  if (c.type === 'regex') return c.value;
  return c.type === 'exact' ? `^${escapeRegex(c.value)}$` : `^${escapeRegex(c.value)}.*`;
}

/**
 * A regular expression over the Cookie header that matches when cookie `name` matches `m`
 * (the way Flagger's A/B docs match cookies, e.g. `^(.*?;)?(canary=always)(;.*)?$`).
 */
export function cookieHeaderRegex(name: string, m: StringMatch): string {
  const c = matchCondition(`cookie ${name}`, m);
  const value =
    c.type === 'exact'
      ? escapeRegex(c.value)
      : c.type === 'prefix'
        ? `${escapeRegex(c.value)}[^;]*`
        : `(?:${c.value})`;
  return `^(.*?;)?( ?${escapeRegex(name)}=${value})(;.*)?$`;
}

/**
 * The one cookie of a match, if any. Istio and the Gateway API match a header (here: Cookie) once per match
 * entry, so cookies cannot be ANDed; a header condition on Cookie besides cookies clashes the same way.
 */
export function singleCookie(provider: string, m: RequestMatch): [string, StringMatch] | undefined {
  const cookies = Object.entries(m.cookies ?? {});
  if (cookies.length === 0) return undefined;
  if (cookies.length > 1)
    throw new TrafficConfigError(
      `${provider}: one match entry can test one cookie (they all become a condition on the Cookie header), got ${cookies.map(([n]) => n).join(', ')}; use separate match entries (ORed)`,
    );
  if (Object.keys(m.headers ?? {}).some((h) => h.toLowerCase() === 'cookie'))
    throw new TrafficConfigError(`${provider}: a match cannot test both the Cookie header and a cookie`);
  return cookies[0];
}

/**
 * What reconcile applies: the current routing kept as it is, or all traffic on the primary when the route is
 * new or switches between weighted and A/B (a kept 0/100 A/B split would otherwise send everyone to the canary).
 */
export function keptSpec(current: Routes | undefined, wasAb: boolean, match?: RequestMatch[]): RouteSpec {
  const ab = (match?.length ?? 0) > 0;
  const base: RouteSpec =
    current && wasAb === ab
      ? { primaryWeight: current.primaryWeight, canaryWeight: current.canaryWeight, mirror: current.mirrored }
      : { ...PRIMARY_ONLY };
  return ab ? { ...base, match } : base;
}
