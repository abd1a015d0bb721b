import type { AuthCallback, AuthFailureCallback } from 'isomorphic-git';
import { GitAuthError } from '../errors.js';

/** isomorphic-git callbacks built from a resolved Git secret ({token} or {username, password}). */
export interface GitAuthCallbacks {
  onAuth: AuthCallback;
  onAuthFailure: AuthFailureCallback;
}

/**
 * Turns a Git secret into auth callbacks. A token is sent as the password with the secret's username
 * or `x-access-token` (what GitHub and GitLab accept). A refused login fails at once with GitAuthError
 * instead of isomorphic-git asking again; the message names the repository, never the secret's value.
 */
export function gitAuth(url: string, secret: Record<string, string> | undefined): GitAuthCallbacks {
  return {
    onAuth: () => {
      if (!secret) throw new GitAuthError(`${url} asks for credentials: set secretRef on the repository`);
      if (secret.token) return { username: secret.username || 'x-access-token', password: secret.token };
      if (secret.username && secret.password) return { username: secret.username, password: secret.password };
      throw new GitAuthError(`the secret for ${url} needs a "token" key, or "username" and "password"`);
    },
    onAuthFailure: () => {
      throw new GitAuthError(
        `${url} refused the credentials from its secretRef (HTTP 401): check the token or password`,
      );
    },
  };
}
