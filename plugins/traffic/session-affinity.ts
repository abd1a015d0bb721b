// Sticky canary, as Flagger's analysis.sessionAffinity: while the canary gets traffic, its responses set a
// cookie and requests carrying that cookie go to the canary (a user who saw the new version keeps seeing it);
// when the canary's weight drops to 0 the cookie is expired. The cookie lives in an annotation on the route
// object, so the provider stays stateless and a retried setRoutes keeps the same cookie.
import { randomBytes } from 'node:crypto';
import type { RouteSpec, SessionAffinity } from '../../core/traffic/routes.js';
import { cookieHeaderRegex } from './routes.js';

/** Annotation on the VirtualService / HTTPRoute holding the current sticky cookie, "name=value". */
export const SESSION_COOKIE_ANNOTATION = 'sluice.dev/session-cookie';

/** The sticky route to write: send cookie holders to the canary (active) or expire the cookie (after a run). */
export interface StickyRoute {
  /** "name=value". */
  cookie: string;
  /** True while the canary gets traffic: holders go to the canary; false: expire the cookie, route to primary. */
  active: boolean;
}

/**
 * The sticky route for a weight change. A run's cookie is made when the canary first gets traffic and kept
 * while it does (previousCookie is the annotation, canaryWeightNow the weight the route holds now).
 */
export function stickyRoute(
  affinity: SessionAffinity,
  spec: RouteSpec,
  previousCookie: string | undefined,
  canaryWeightNow: number,
): StickyRoute | undefined {
  if (spec.canaryWeight > 0) {
    const keep = previousCookie?.startsWith(`${affinity.cookieName}=`) && canaryWeightNow > 0;
    return {
      cookie: keep ? (previousCookie as string) : `${affinity.cookieName}=${randomBytes(12).toString('hex')}`,
      active: true,
    };
  }
  return previousCookie ? { cookie: previousCookie, active: false } : undefined;
}

/** The Set-Cookie value a canary response carries. */
export function setCookie(cookie: string, affinity: SessionAffinity): string {
  return `${cookie}; Max-Age=${affinity.maxAge}`;
}

/** The Set-Cookie value that deletes the cookie of a finished run. */
export function expireCookie(cookie: string): string {
  return `${cookie}; Max-Age=-1`;
}

/** A regular expression over the Cookie header matching requests that carry this cookie. */
export function cookieRegex(cookie: string): string {
  const eq = cookie.indexOf('=');
  return cookieHeaderRegex(cookie.slice(0, eq), { exact: cookie.slice(eq + 1) });
}
