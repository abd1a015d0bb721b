// Errors of the egress-guarded fetch. Each is permanent (no retry can change the answer) and says
// `permanent: true`, which plugins read without importing this module. Messages name the host and the
// address, never the URL's path or query (Teams and Discord URLs carry their token there).

/** The hint every egress refusal ends with. */
export const EGRESS_HINT =
  'an administrator can allow it with egress.allow in the worker config (a CIDR such as 10.1.0.0/16, or a host name such as hooks.internal or *.svc.cluster.local)';

/** A refusal by the egress policy or its limits. */
export abstract class EgressError extends Error {
  /** No retry can help: the destination, its answer or the policy must change. */
  readonly permanent = true;
}

/** The destination is not allowed: a special-purpose address not listed in egress.allow, or not http(s). */
export class EgressRefusedError extends EgressError {
  override name = 'EgressRefusedError' as const;
  constructor(reason: string, hint: string = EGRESS_HINT) {
    super(`egress refused: ${reason}; ${hint}`);
  }
}

/** The destination answered with a redirect, which is never followed. */
export class RedirectRefusedError extends EgressError {
  override name = 'RedirectRefusedError' as const;
  constructor(
    host: string,
    readonly status: number,
  ) {
    super(`${host} answered HTTP ${status}: redirects are not followed (point the URL at the final address)`);
  }
}

/** The answer was longer than egress.maxResponseBytes; the request was aborted. */
export class ResponseTooLargeError extends EgressError {
  override name = 'ResponseTooLargeError' as const;
  constructor(host: string, limit: number) {
    super(
      `the answer of ${host} is larger than egress.maxResponseBytes (${limit} bytes): the request was aborted`,
    );
  }
}
