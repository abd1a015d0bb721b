// The dependsOn check: asks each dependency's application workflow for its status through the
// worker's Temporal client (workflows cannot query other workflows themselves).

import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppIdentity } from '../../core/identity.js';
import { applicationWorkflowId, declaredId } from '../../core/workflow-ids.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { readiness, type SourceAt } from './readiness.js';

/** One dependency: an Application by repository id and name. */
export interface DependencyRef {
  repoId: string;
  name: string;
}

/** One dependency's verdict: `<repo>/<name>`, and why it is not ready yet. */
export interface DependencyVerdict {
  id: string;
  ready: boolean;
  reason?: string;
}

/** How long one dependency's status query may take: a workflow no worker serves must not stall the check. */
const QUERY_TIMEOUT_MS = 10_000;

/** The dependsOn activities. */
export function dependencyActivities() {
  return {
    /** Whether each dependency is Synced and Healthy at its source's newest commit; never throws for one that is not. */
    async checkDependencies(input: {
      owner: AppIdentity;
      dependencies: DependencyRef[];
      /** The dependent's source and its newest commit: a dependency on the same source must be at it too. */
      source?: SourceAt;
    }): Promise<DependencyVerdict[]> {
      const { client } = Context.current();
      const { owner } = input;
      const dependent = declaredId(owner.repoId, owner.app);
      return Promise.all(
        input.dependencies.map(async ({ repoId, name }): Promise<DependencyVerdict> => {
          const id = declaredId(repoId, name);
          const handle = client.workflow.getHandle(applicationWorkflowId(repoId, name));
          try {
            const s = await client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
              handle.query(applicationStatusQuery),
            );
            // Another team's Application is read only within the Project, as a Pipeline's steps are (docs/security.md).
            if (repoId !== owner.repoId && s.project !== owner.project)
              return {
                id,
                ready: false,
                reason: `is not in Project "${owner.project}": a dependency of another repository must be in the same Project`,
              };
            const r = readiness(s, dependent, input.source);
            return r.ready ? { id, ready: true } : { id, ready: false, reason: r.reason };
          } catch (err) {
            if (err instanceof WorkflowNotFoundError)
              return { id, ready: false, reason: `no Application "${name}" in repository "${repoId}"` };
            return { id, ready: false, reason: `status unreadable: ${(err as Error).message}` };
          }
        }),
      );
    },
  };
}
