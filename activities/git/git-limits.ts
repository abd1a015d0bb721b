import { GitLimitError } from '../errors.js';
import type { GitLimits } from '../trust/config.js';

/** The repository and the commit (or revision) a limit is checked for, named in every GitLimitError. */
export interface LimitContext {
  url: string;
  revision: string;
}

/** Bytes for people: "200 MiB", "928.5 KiB", "17 B". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

/** The URL without credentials, for messages that reach logs and workflow history. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** A byte cap and what to tell a person about it (the worker-config key that sets it, or why it is fixed). */
export interface ByteCap {
  bytes: number;
  note: string;
}

/** The error for a commit over a limit: what, the limit, and the worker-config key an administrator would raise. */
export function overLimit(
  ctx: LimitContext,
  what: string,
  key: keyof GitLimits,
  limits: GitLimits,
): GitLimitError {
  const limit = key === 'maxFiles' ? limits[key].toLocaleString('en') : formatBytes(limits[key]);
  return overCap(ctx, what, limit, `git.${key} in the worker config`);
}

/** The error for a commit over a cap, with the limit as shown and a note on it. */
export function overCap(ctx: LimitContext, what: string, limit: string, note: string): GitLimitError {
  return new GitLimitError(
    `${shown(ctx.url)} at ${ctx.revision}: ${what}, over the limit of ${limit} (${note})`,
  );
}

/** The error for a pack that lies about its contents (sizes, format): refused like a pack over a limit. */
export function malformedPack(ctx: LimitContext, what: string): GitLimitError {
  return new GitLimitError(`${shown(ctx.url)} at ${ctx.revision}: the fetched pack is malformed: ${what}`);
}
