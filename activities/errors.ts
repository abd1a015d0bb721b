// Error classes activities throw on purpose. Temporal names an activity failure after the error's
// class, so the permanent ones are listed in nonRetryableErrorTypes: retrying them cannot help.

/** A secretRef names a secret that no configured secret source has. */
export class SecretNotFoundError extends Error {
  override name = 'SecretNotFoundError' as const;
}

/** The repository URL cannot be used (for example ssh://, which isomorphic-git cannot speak). */
export class UnsupportedRepoUrlError extends Error {
  override name = 'UnsupportedRepoUrlError' as const;
}

/** The Git server refused the credentials (or asked for some and none were configured). */
export class GitAuthError extends Error {
  override name = 'GitAuthError' as const;
}

/** The branch, tag or commit does not exist in the repository. */
export class RevisionNotFoundError extends Error {
  override name = 'RevisionNotFoundError' as const;
}

/**
 * A commit is over one of the worker's Git limits (object size, pack size, checkout size, file count),
 * or its pack lies about its sizes. The message names the repository, the commit, what was over
 * which limit and the worker-config key (`git.maxObjectBytes`, …) an administrator would raise.
 */
export class GitLimitError extends Error {
  override name = 'GitLimitError' as const;
}

/** Failure types that workflows must not retry. */
export const nonRetryableErrorTypes = [
  SecretNotFoundError.name,
  UnsupportedRepoUrlError.name,
  GitAuthError.name,
  RevisionNotFoundError.name,
  GitLimitError.name,
  // Thrown by plugins and the sync activities; named here as strings so workflows need not import them.
  'RenderError',
  'UnknownPluginError',
  'PluginLoadError',
  'ProjectViolationError',
  'ProjectBindingError',
  'SecretAccessError',
  'MissingKindError',
  'SharedResourceError',
  'IgnoreRuleError',
  'RolloutConfigError',
  'TrafficConfigError',
];
