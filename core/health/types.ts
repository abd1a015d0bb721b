/** Health of one object, with Argo CD's codes so its users read Sluice's status without translation. */
export type HealthCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

/** A health code and, where there is one, the reason a person should read. */
export interface HealthStatus {
  status: HealthCode;
  message?: string;
}

/** A user-defined check for one group/kind, in the shape of Flux's `healthCheckExprs`. */
export interface CustomHealthCheck {
  /** `group/version` (or `v1` for the core group); only the group is compared, as Flux does. */
  apiVersion: string;
  kind: string;
  /** CEL: true when the object reached its desired state (Healthy). */
  current?: string;
  /** CEL: true while the object is still on its way (Progressing). */
  inProgress?: string;
  /** CEL: true when the object failed (Degraded). */
  failed?: string;
}

/** Inputs of a health assessment besides the object itself. */
export interface HealthOptions {
  /** Current time (ms since epoch) — passed in so the functions stay pure and testable. */
  now: number;
  /**
   * Custom checks per group/kind, like Flux's healthCheckExprs: CEL expressions over `self` (the object);
   * its top-level fields are variables too, so Flux's expressions work as written. Overrides built-ins.
   */
  customChecks?: CustomHealthCheck[];
  /**
   * Seconds a resource may stay Progressing (measured from the last change it exposes: managedFields
   * times, condition transition/update times, creation or deletion timestamp) before it is reported
   * Degraded ("progress deadline exceeded"). Default 600.
   */
  progressDeadlineSeconds?: number;
}
