// Secrets named by pipeline files are the administrator's to hand out: each use is checked against
// the worker config's grants (which Projects may name the secret, and which hosts its values may be
// sent to) before the value is read. The worker's own secrets (repository credentials, webhook keys)
// are read through the SecretStore directly and never reachable from a pipeline file.

import picomatch from 'picomatch';
import type { NonRetryableErrorType } from '../../core/errors.js';
import type { Caller } from '../../core/identity.js';
import type { SecretRef, SecretStore } from '../secrets/secret-store.js';
import type { SecretGrant } from './config.js';
import type { ProjectRegistry } from './projects.js';

/** A pipeline file names a secret its Project was not granted, or sends it where its grant does not allow. */
export class SecretAccessError extends Error {
  override name = 'SecretAccessError' as const satisfies NonRetryableErrorType;
}

/**
 * Who uses a secret, and where its values go: a URL, or one read from the values (a webhook URL kept in the
 * secret); or nowhere: `keptOnWorker` for values used on the worker alone (SOPS decryption keys).
 */
export type SecretUse =
  | {
      caller: Caller;
      /** The request the value authenticates or signs; required whenever the value leaves the worker. */
      sendTo: string | ((values: Record<string, string>) => string | undefined);
    }
  | { caller: Caller; keptOnWorker: true };

const globMatch = (pattern: string, value: string) =>
  pattern === '*' || picomatch.isMatch(value, pattern, { dot: true, nocase: true });

/** True when a URL's host (and port) matches one of the patterns: "host", "host:port", "*.domain", "host:*". */
export function hostAllowed(patterns: string[], url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port =
    parsed.port || (parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '');
  return patterns.some((p) => {
    const m = /^(.*?)(?::(\d+|\*))?$/.exec(p.startsWith('[') ? p.replace(/^\[(.*)\]/, '$1') : p);
    const [hostPattern, portPattern] = [m?.[1] ?? p, m?.[2]];
    return (
      globMatch(hostPattern, host) &&
      (portPattern === undefined || portPattern === '*' || portPattern === port)
    );
  });
}

/** Resolves secretRefs from pipeline files for a caller, enforcing the administrator's grants. */
export class SecretAccess {
  constructor(
    private readonly store: SecretStore,
    private readonly grants: SecretGrant[],
    private readonly projects: ProjectRegistry,
  ) {}

  /** The secret's values, when the caller's Project is granted it and its destination is one of the grant's hosts. */
  async resolve(ref: SecretRef, use: SecretUse): Promise<Record<string, string>> {
    const { caller } = use;
    this.projects.checkBinding(caller);
    const granted = this.grants.filter(
      (g) => globMatch(g.name, ref.name) && g.projects.some((p) => p === '*' || p === caller.project),
    );
    if (granted.length === 0)
      throw new SecretAccessError(
        `secret "${ref.name}" is not granted to Project "${caller.project}" (repository ${caller.repoId}): the administrator grants secrets to Projects in the worker config (secretAccess)`,
      );
    const check = (url: string | undefined) => {
      const hosts = granted.flatMap((g) => g.hosts);
      if (url !== undefined && hostAllowed(hosts, url)) return;
      const where = url === undefined ? 'an unknown destination' : hostOf(url);
      throw new SecretAccessError(
        `secret "${ref.name}" may not be sent to ${where}: its grant allows ${hosts.join(', ') || 'no hosts'} (worker config secretAccess[].hosts)`,
      );
    };
    // A value kept on the worker goes to no host: the Project's grant is all it needs.
    const sendTo = 'sendTo' in use ? use.sendTo : undefined;
    if (typeof sendTo === 'string') check(sendTo);
    const values = await this.store.resolve(ref);
    if (typeof sendTo === 'function') check(sendTo(values));
    return values;
  }
}

// The host[:port] of a URL for messages (never its path or query, which may carry a token).
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'a URL without a host';
  } catch {
    return 'a value that is not a URL';
  }
}
