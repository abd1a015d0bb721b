// A job metric's Job name is derived, never random: a retried analysis activity must find the Job its
// earlier attempt created instead of starting a second one.
import { createHash } from 'node:crypto';

/** Longest Job name: the Job controller names pods `<job>-<5 chars>` and labels them with the Job's name. */
const MAX_NAME = 52;

/**
 * The Job's name for one check of one measurement (an analysis round: the same across retries of its
 * activity), e.g. `sluice-smoke-3f9a0c21b7`: readable, and unique per measurement and check.
 */
export function jobMetricName(measurement: string, check: string): string {
  const hash = createHash('sha256').update(`${measurement}\n${check}`).digest('hex').slice(0, 10);
  const readable = check
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME - 'sluice--'.length - hash.length)
    .replace(/-+$/, '');
  return readable ? `sluice-${readable}-${hash}` : `sluice-${hash}`;
}
