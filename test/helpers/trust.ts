// Trust fixtures for tests that are not about trust: every secret usable by every Project, anywhere.

import type { SecretStore } from '../../activities/secrets/secret-store.js';
import { ProjectRegistry } from '../../activities/trust/projects.js';
import { SecretAccess } from '../../activities/trust/secret-access.js';
import type { Caller } from '../../core/identity.js';

/** The caller of tests that start workflows and activities directly (a repository not in any config). */
export const testCaller: Caller = { repoId: 'test', project: 'default' };

/** Secret access that grants every secret to every Project for every host (tests of the grants pass their own). */
export function openSecretAccess(store: SecretStore): SecretAccess {
  return new SecretAccess(
    store,
    [{ name: '*', projects: ['*'], hosts: ['*'] }],
    new ProjectRegistry({ projects: [], repositories: [] }),
  );
}
