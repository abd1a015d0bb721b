import type { HealthCode, HealthStatus } from './types.js';

/**
 * Health codes from best to worst, Argo CD's order: a Degraded object outweighs a Missing one, which
 * outweighs one still Progressing; Suspended counts as better than Progressing because nothing is
 * moving, only waiting for a person. Unknown is worst: the assessment itself failed (a broken custom
 * check, an object we could not read), so nothing about the set can be vouched for.
 */
export const HEALTH_ORDER: readonly HealthCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** True when `candidate` is worse than `current` in HEALTH_ORDER. */
export function isWorse(current: HealthCode, candidate: HealthCode): boolean {
  return HEALTH_ORDER.indexOf(candidate) > HEALTH_ORDER.indexOf(current);
}

/** The worst code among the statuses (Healthy for none: nothing is left to wait for). */
export function aggregateHealth(statuses: HealthStatus[]): HealthCode {
  let worst: HealthCode = 'Healthy';
  for (const s of statuses) if (isWorse(worst, s.status)) worst = s.status;
  return worst;
}
