// Worker deployment versioning (opt-in): a worker declares `<deployment name>:<build ID>`, Temporal routes
// each workflow to a version by its type's behaviour (workflows/shared/versioning.ts), and an operator makes a new
// version current when it is ready (`sluice worker promote`). Without a build ID in the config, the ID is
// derived from the code: the same workflow bundle always gets the same ID, and a change to any workflow
// gets a new one, so a PINNED run can never be handed to a worker whose code differs from the one it started on.
import { createHash } from 'node:crypto';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { packageVersion } from '../scripts/stack/project-root.js';

/** The worker config's `deployment` block. */
export interface DeploymentConfig {
  /** Worker Deployment name, shared by every version of this worker (e.g. `sluice`). */
  name: string;
  /** This worker's build ID; default `<package version>-<12 hex digits of the workflow bundle's SHA-256>`. */
  buildId?: string;
}

/** The build ID for a workflow bundle's code: the package version and a hash of exactly what the workers run. */
export function bundleBuildId(code: string, version = packageVersion()): string {
  return `${version}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
}

/**
 * The SDK's deployment options for a version: versioning on, and PINNED for any workflow type whose
 * definition names no behaviour (workflows/shared/versioning.ts names one for every Sluice workflow).
 */
export function workerDeploymentOptions(name: string, buildId: string): WorkerDeploymentOptions {
  return {
    useWorkerVersioning: true,
    version: { deploymentName: name, buildId },
    defaultVersioningBehavior: 'PINNED',
  };
}
