// The routing part of a rollout's target, from the Rollout's spec.service (deterministic: workflow code).
import type { IstioRouteFields, ObjectMetadata, SessionAffinity } from '../../core/traffic/routes.js';
import type { RolloutService } from '../../schemas/types.generated.js';
import type { RolloutTarget } from '../rollout/types.js';
import { durationMs } from '../shared/duration.js';

/** The routing fields a Rollout sets (Flagger's Istio and Gateway API fields, metadata, session affinity). */
export function routingFields(
  service: RolloutService,
  analysisInterval: string,
): Partial<RolloutTarget['service']> {
  const istio: IstioRouteFields = {};
  for (const k of ISTIO_FIELDS) if (service[k] !== undefined) istio[k] = service[k] as never;
  return {
    ...(Object.keys(istio).length > 0 ? { istio } : {}),
    ...(service.gatewayRefs ? { gatewayRefs: service.gatewayRefs } : {}),
    ...(service.apex ? { apex: service.apex as ObjectMetadata } : {}),
    ...(service.primary ? { primary: service.primary as ObjectMetadata } : {}),
    ...(service.canary ? { canary: service.canary as ObjectMetadata } : {}),
    ...(service.sessionAffinity
      ? {
          sessionAffinity: {
            cookieName: service.sessionAffinity.cookieName,
            maxAge: service.sessionAffinity.maxAge ?? 86400,
            ...cookieAttributes(service.sessionAffinity),
            // The primary cookie lasts one analysis interval, so each step splits its users anew (Flagger's).
            ...(service.sessionAffinity.primaryCookieName
              ? {
                  primaryCookieName: service.sessionAffinity.primaryCookieName,
                  primaryMaxAge: Math.max(1, Math.round(durationMs(analysisInterval) / 1000)),
                }
              : {}),
          },
        }
      : {}),
  };
}

/** The Set-Cookie attributes a Rollout sets (only those, so a Rollout without them gives the same input as before). */
function cookieAttributes(
  affinity: NonNullable<RolloutService['sessionAffinity']>,
): Partial<SessionAffinity> {
  const out: Partial<SessionAffinity> = {};
  for (const k of COOKIE_ATTRIBUTES) if (affinity[k] !== undefined) out[k] = affinity[k] as never;
  return out;
}

const COOKIE_ATTRIBUTES = ['domain', 'path', 'sameSite', 'httpOnly', 'secure', 'partitioned'] as const;

const ISTIO_FIELDS = ['match', 'rewrite', 'retries', 'headers', 'corsPolicy', 'trafficPolicy'] as const;
