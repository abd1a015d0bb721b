// The identity a worker gives Temporal. The default is the SDK's `<pid>@<hostname>` plus `sluice/<version>`,
// so `sluice version` can read each polling worker's version from DescribeTaskQueue. Only client and
// worker connections carry it; no workflow code sees it, so it never enters a replay.
import { hostname } from 'node:os';
import { packageVersion } from '../scripts/stack/project-root.js';

/** The word that carries the version in an identity: `sluice/<version>`. */
export const VERSION_PREFIX = 'sluice/';

/** The configured identity, else `<pid>@<hostname> sluice/<version>`. */
export function workerIdentity(configured?: string): string {
  return configured ?? `${process.pid}@${hostname()} ${VERSION_PREFIX}${packageVersion()}`;
}

/** The Sluice version a worker's identity names, if it names one. */
export function identityVersion(identity: string): string | undefined {
  const word = identity.split(/\s+/).find((w) => w.startsWith(VERSION_PREFIX));
  return word?.slice(VERSION_PREFIX.length) || undefined;
}
