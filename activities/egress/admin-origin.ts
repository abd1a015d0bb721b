import type { EgressFetch } from './guarded-fetch.js';

/** The origin (scheme, host, port) of a URL, or undefined when it is none. */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The fetch for an address a pipeline file may have chosen: undefined (the plain fetch) when it is on an
 * origin the administrator configured (e.g. the worker's own prometheus.address, which a MetricTemplate
 * may name again), else the egress-guarded one.
 */
export function fetchForAddress(
  address: string,
  adminAddresses: (string | undefined)[],
  guarded: EgressFetch,
): EgressFetch | undefined {
  const origin = originOf(address);
  return origin && adminAddresses.some((a) => originOf(a) === origin) ? undefined : guarded;
}
