import { describe, expect, it } from 'vitest';
import type { DependencyVerdict } from '../../activities/dependencies/index.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  syncUpdate,
} from '../../workflows/application/messages.js';
import { SluicePhase } from '../../workflows/shared/search-attributes.js';
import { syncFakes } from './fakes/sync.js';
import { applicationInput, sha } from './helpers/application-input.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

/** `web` of applicationInput() depending on `db` of its own repository. */
function dependentInput(syncPolicy: Record<string, unknown> = {}) {
  const input = applicationInput(syncPolicy);
  input.desired.spec = { ...input.desired.spec, dependsOn: [{ name: 'db' }] };
  return input;
}

/** A checkDependencies fake answering `db` as ready or not, as the test sets it; it records each input. */
function dependencyFake() {
  const inputs: unknown[] = [];
  const fake = {
    ready: false,
    inputs,
    async checkDependencies(input: unknown): Promise<DependencyVerdict[]> {
      inputs.push(input);
      return [
        fake.ready
          ? { id: 'repo/db', ready: true }
          : { id: 'repo/db', ready: false, reason: 'health Progressing' },
      ];
    },
  };
  return fake;
}

const synced = (revision: string) => (s: ApplicationStatus) =>
  s.syncedRevision === revision && s.phase === 'Watching';

describe('application dependsOn', () => {
  it('automated sync waits, saying for what, until the dependency is ready, re-checking on a timer', async () => {
    const deps = dependencyFake();
    const fake = syncFakes({ head: () => sha('1') });
    await withWorker(
      { ...fake.activities, checkDependencies: deps.checkDependencies },
      async ({ client, taskQueue, id }) => {
        const handle = await client.workflow.start('applicationWorkflow', {
          taskQueue,
          workflowId: id('app-deps'),
          args: [dependentInput()],
        });
        try {
          const waiting = await queryUntil(handle, applicationStatusQuery, (s) => s.waitingFor !== undefined);
          expect(waiting.waitingFor).toEqual([{ id: 'repo/db', reason: 'health Progressing' }]);
          expect(waiting.syncStatus).toBe('OutOfSync');
          expect((await handle.describe()).typedSearchAttributes.get(SluicePhase)).toBe(
            'WaitingForDependencies',
          );
          expect(fake.calls.count('renderAndApply')).toBe(0);
          deps.ready = true; // no signal: the next timed check finds it
          const done = await queryUntil(handle, applicationStatusQuery, synced(sha('1')));
          expect(done.waitingFor).toBeUndefined();
          expect((await handle.describe()).typedSearchAttributes.get(SluicePhase)).toBeUndefined();
          expect(deps.inputs[0]).toEqual({
            owner: { repoId: 'repo', project: 'default', app: 'web' },
            dependencies: [{ repoId: 'repo', name: 'db' }],
            source: { key: 'http://127.0.0.1:9/web.git#main', revision: sha('1') },
          });
          expect(fake.calls.count('renderAndApply')).toBe(1);
        } finally {
          await handle.terminate('test done');
        }
      },
    );
  });

  it('a hand sync waits in its update until ready; --skip-dependencies syncs at once and ends the wait', async () => {
    const deps = dependencyFake();
    const fake = syncFakes({ head: () => sha('1') });
    await withWorker(
      { ...fake.activities, checkDependencies: deps.checkDependencies },
      async ({ client, taskQueue, id }) => {
        // Not automated: only hand syncs.
        const input = dependentInput();
        input.desired.spec = { ...input.desired.spec, syncPolicy: {} };
        const handle = await client.workflow.start('applicationWorkflow', {
          taskQueue,
          workflowId: id('app-deps-hand'),
          args: [input],
        });
        try {
          await queryUntil(handle, applicationStatusQuery, (s) => s.sourceRevision === sha('1'));
          const waited = handle.executeUpdate(syncUpdate, { args: [{}] });
          let settled = false;
          void waited.finally(() => {
            settled = true;
          });
          await queryUntil(handle, applicationStatusQuery, (s) => s.waitingFor !== undefined);
          await new Promise((r) => setTimeout(r, 1000));
          expect(settled).toBe(false);
          expect(fake.calls.count('renderAndApply')).toBe(0);

          const forced = await handle.executeUpdate(syncUpdate, { args: [{ skipDependencies: true }] });
          expect(forced.phase).toBe('Succeeded');
          expect(fake.calls.count('renderAndApply')).toBe(1);

          deps.ready = true;
          expect((await waited).phase).toBe('Succeeded');
          const after = await queryUntil(handle, applicationStatusQuery, (s) => s.waitingFor === undefined);
          expect(after.lastSync?.id).toBe(2);
        } finally {
          await handle.terminate('test done');
        }
      },
    );
  });
});
