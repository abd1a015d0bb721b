// Error classes activities throw on purpose. Temporal names an activity failure after the error's
// class; their names come from core/errors.ts, whose nonRetryableErrorTypes workflows read.
import type { NonRetryableErrorType } from '../core/errors.js';

/** A secretRef names a secret that no configured secret source has. */
export class SecretNotFoundError extends Error {
  override name = 'SecretNotFoundError' as const satisfies NonRetryableErrorType;
}

/** The repository URL cannot be used (for example ssh://, which isomorphic-git cannot speak). */
export class UnsupportedRepoUrlError extends Error {
  override name = 'UnsupportedRepoUrlError' as const satisfies NonRetryableErrorType;
}

/** The Git server refused the credentials (or asked for some and none were configured). */
export class GitAuthError extends Error {
  override name = 'GitAuthError' as const satisfies NonRetryableErrorType;
}

/** The branch, tag or commit does not exist in the repository. */
export class RevisionNotFoundError extends Error {
  override name = 'RevisionNotFoundError' as const satisfies NonRetryableErrorType;
}

/**
 * A commit is over one of the worker's Git limits (object size, pack size, checkout size, file count),
 * or its pack lies about its sizes. The message names the repository, the commit, what was over
 * which limit and the worker-config key (`git.maxObjectBytes`, …) an administrator would raise.
 */
export class GitLimitError extends Error {
  override name = 'GitLimitError' as const satisfies NonRetryableErrorType;
}
