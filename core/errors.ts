// The names of the failures Sluice throws on purpose, in one place. Temporal types an activity failure
// by its error class's name, so workflows decide what not to retry by name alone; the classes (which
// may need Node) live with the code that throws them and take their names from here.

/** Permanent failures of the sync, rollout and repository activities: retrying them cannot help. */
const permanent = [
  'SecretNotFoundError',
  'UnsupportedRepoUrlError',
  'GitAuthError',
  'RevisionNotFoundError',
  'GitLimitError',
  'RenderError',
  'UnknownPluginError',
  'PluginLoadError',
  'ProjectViolationError',
  'ProjectBindingError',
  'SecretAccessError',
  'MissingKindError',
  'SharedResourceError',
  'IgnoreRuleError',
  'AnnotationError',
  'RolloutConfigError',
  'TrafficConfigError',
  'ChartNotFoundError',
  'ChartAuthError',
  'TagPolicyError',
  'AutomationPathError',
] as const;

/** The name of a failure no workflow retries. */
export type NonRetryableErrorType = (typeof permanent)[number];

/** Failure types that workflows must not retry (a retry policy's `nonRetryableErrorTypes`). */
export const nonRetryableErrorTypes: string[] = [...permanent];

/** Permanent failures of alert delivery: a bad provider config, a refused message, a missing secret or grant. */
export const alertNonRetryableErrorTypes: string[] = [
  'AlertConfigError',
  'AlertRejectedError',
  'UnknownAlertProviderError',
  'SecretNotFoundError',
  'SecretAccessError',
  'ProjectBindingError',
];

/** A Pipeline step ran and did not pass (non-2xx, condition false, sync failed); retried only when the step sets `retry`. */
export const STEP_FAILED = 'StepFailed';

/** A Pipeline step's inputs are wrong after its expressions were resolved; never retried. */
export const STEP_INPUT_ERROR = 'StepInputError';
