// Sticky canary, as Flagger's analysis.sessionAffinity: while the canary gets traffic, its responses set a
// cookie and requests carrying that cookie go to the canary (a user who saw the new version keeps seeing it);
// when the canary's weight drops to 0 the cookie is expired. The cookie lives in an annotation on the route
// object, so the provider stays stateless and a retried setRoutes keeps the same cookie.
// With a primary cookie (Flagger's primaryCookieName) the primary's responses set a second cookie, valid for one
// analysis interval, and requests carrying it stay on the primary: a user split onto the primary stays there for
// the step instead of being re-split on every request, so the canary does not slowly collect everyone.
import { randomBytes } from 'node:crypto';
import type { RouteSpec, RouteTarget, SessionAffinity } from '../../core/traffic/routes.js';
import { cookieHeaderRegex, hasMatch } from './routes.js';

/** Annotation on the VirtualService / HTTPRoute holding the current sticky cookie, "name=value". */
export const SESSION_COOKIE_ANNOTATION = 'sluice.dev/session-cookie';

/** Annotation holding the current step's primary cookie, "name=value" (with a primaryCookieName). */
export const PRIMARY_COOKIE_ANNOTATION = 'sluice.dev/primary-session-cookie';

/** The sticky route to write: send cookie holders to the canary (active) or expire the cookie (after a run). */
export interface StickyRoute {
  /** "name=value". */
  cookie: string;
  /** True while the canary gets traffic: holders go to the canary; false: expire the cookie, route to primary. */
  active: boolean;
  /** The primary cookie of this step, "name=value": set by primary responses, holders stay on the primary. */
  primary?: string;
}

/** The cookie values a route object holds now, from its annotations. */
export interface CookiesNow {
  cookie?: string;
  primary?: string;
  /** The canary weight the route holds now. */
  canaryWeight: number;
}

const newCookie = (name: string) => `${name}=${randomBytes(12).toString('hex')}`;

/**
 * The sticky route for a weight change. A run's cookie is made when the canary first gets traffic and kept
 * while it does. The primary cookie is made anew at each step (a new canary weight) and kept when the same
 * step is applied again (a retry, a reconcile); once the canary has no traffic there is none, as in Flagger.
 */
export function stickyRoute(
  affinity: SessionAffinity,
  spec: RouteSpec,
  now: CookiesNow,
): StickyRoute | undefined {
  const previous = now.cookie;
  if (spec.canaryWeight > 0) {
    const keep = previous?.startsWith(`${affinity.cookieName}=`) && now.canaryWeight > 0;
    const name = affinity.primaryCookieName;
    const samePrimary = name && now.primary?.startsWith(`${name}=`) && now.canaryWeight === spec.canaryWeight;
    return {
      cookie: keep ? (previous as string) : newCookie(affinity.cookieName),
      active: true,
      ...(name ? { primary: samePrimary ? (now.primary as string) : newCookie(name) } : {}),
    };
  }
  return previous ? { cookie: previous, active: false } : undefined;
}

/**
 * The sticky route for a RouteSpec given the routing object as it is: none without session affinity or for an
 * A/B or mirrored spec; the cookies in use come from the object's annotations, its canary weight from its routes.
 */
export function stickyForObject(
  target: RouteTarget,
  spec: RouteSpec,
  annotations: Record<string, string> | undefined,
  canaryWeightNow: () => number,
): StickyRoute | undefined {
  if (!target.sessionAffinity || hasMatch(spec) || spec.mirror) return undefined;
  return stickyRoute(target.sessionAffinity, spec, {
    cookie: annotations?.[SESSION_COOKIE_ANNOTATION],
    primary: annotations?.[PRIMARY_COOKIE_ANNOTATION],
    canaryWeight: canaryWeightNow(),
  });
}

/** The Set-Cookie value a primary response carries: valid for one analysis interval (Flagger's). */
export function setPrimaryCookie(cookie: string, affinity: SessionAffinity): string {
  return `${cookie}; Max-Age=${affinity.primaryMaxAge ?? 60}${attributes(affinity)}`;
}

/** The Set-Cookie attributes after Max-Age, in Flagger's order (BuildCookie). */
function attributes(a: SessionAffinity | undefined): string {
  if (!a) return '';
  return [
    a.domain ? `; Domain=${a.domain}` : '',
    a.httpOnly ? '; HttpOnly' : '',
    a.partitioned ? '; Partitioned' : '',
    a.path ? `; Path=${a.path}` : '',
    a.sameSite ? `; SameSite=${a.sameSite}` : '',
    a.secure ? '; Secure' : '',
  ].join('');
}

/** The Set-Cookie value a canary response carries. */
export function setCookie(cookie: string, affinity: SessionAffinity): string {
  return `${cookie}; Max-Age=${affinity.maxAge}${attributes(affinity)}`;
}

/**
 * The Set-Cookie value that deletes the cookie of a finished run. It carries the cookie's Domain and Path
 * (Flagger's does not): a browser deletes only the cookie whose domain and path match.
 */
export function expireCookie(cookie: string, affinity?: SessionAffinity): string {
  const scope = `${affinity?.domain ? `; Domain=${affinity.domain}` : ''}${affinity?.path ? `; Path=${affinity.path}` : ''}`;
  return `${cookie}; Max-Age=-1${scope}`;
}

/** A regular expression over the Cookie header matching requests that carry this cookie. */
export function cookieRegex(cookie: string): string {
  const eq = cookie.indexOf('=');
  return cookieHeaderRegex(cookie.slice(0, eq), { exact: cookie.slice(eq + 1) });
}
