import { describe, expect, it } from 'vitest';
import {
  applicationStatusQuery,
  historyQuery,
  liveChangedSignal,
  refreshSignal,
  syncUpdate,
} from '../../workflows/application/messages.js';
import { resumeUpdate, suspendUpdate } from '../../workflows/application/operator-messages.js';
import type { InputOf, OutputOf } from './fakes/recorder.js';
import { syncFakes, webDeployment } from './fakes/sync.js';
import { applicationInput, sha } from './helpers/application-input.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

type Live = OutputOf<'appLiveState'>;
const healthy: Live = {
  health: { status: 'Healthy', resources: [{ ref: webDeployment.ref, status: 'Healthy' }] },
  drifted: [],
};
const drifted: Live = { ...healthy, drifted: [{ ref: webDeployment.ref, status: 'OutOfSync', diff: '' }] };

describe('a suspended application', () => {
  it('neither heals drift nor syncs a new commit until resumed; a sync by hand still runs', async () => {
    let live = healthy;
    let head = sha('1');
    const fake = syncFakes({ head: () => head, live: () => live });
    const alerts = () => fake.calls.of('deliverAlert').map((a: InputOf<'deliverAlert'>) => a.event);
    const input = applicationInput({ automated: { prune: true, selfHeal: true } });
    input.desired.spec.alerts = [{ name: 'team', severity: 'info', providerRef: { name: 'hooks' } }];
    input.desired.alertProviders = {
      'default/hooks': { type: 'webhook', address: 'http://127.0.0.1:9/hooks' },
    };
    await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-suspend'),
        args: [input],
      });
      try {
        await queryUntil(handle, applicationStatusQuery, (s) => s.syncedRevision === sha('1'));
        const suspension = await handle.executeUpdate(suspendUpdate, {
          args: [{ by: 'alice', identity: '1@host', reason: 'INC-42' }],
        });
        expect(suspension).toMatchObject({ by: 'alice', identity: '1@host', reason: 'INC-42' });
        await expect(
          handle.executeUpdate(suspendUpdate, { args: [{ by: 'bob', reason: 'again' }] }),
        ).rejects.toThrow();

        live = drifted; // the hotfix
        await handle.signal(liveChangedSignal, { refs: ['apps/Deployment shop/web'] });
        await queryUntil(handle, applicationStatusQuery, (s) => s.syncStatus === 'OutOfSync');
        head = sha('2'); // a new commit
        await handle.signal(refreshSignal);
        const during = await queryUntil(handle, applicationStatusQuery, (s) => s.sourceRevision === sha('2'));
        expect(during).toMatchObject({
          syncedRevision: sha('1'),
          suspended: { by: 'alice', reason: 'INC-42' },
        });
        expect(await handle.query(historyQuery)).toHaveLength(1);
        expect(alerts().map((e) => e.type)).not.toContain('application.drifted');
        const suspended = alerts().find((e) => e.type === 'application.suspended');
        expect(suspended?.fields).toMatchObject({ by: 'alice', reason: 'INC-42' });

        // A sync asked for by hand runs, and the application stays suspended.
        const byHand = await handle.executeUpdate(syncUpdate, { args: [{ revision: sha('1') }] });
        expect(byHand.phase).toBe('Succeeded');
        expect((await handle.query(applicationStatusQuery)).suspended).toBeDefined();

        live = healthy;
        const ended = await handle.executeUpdate(resumeUpdate, { args: [{ by: 'bob' }] });
        expect(ended.by).toBe('alice');
        const after = await queryUntil(handle, applicationStatusQuery, (s) => s.syncedRevision === sha('2'));
        expect(after.suspended).toBeUndefined();
        expect(await handle.query(historyQuery)).toHaveLength(3);
        await queryUntil(handle, applicationStatusQuery, () =>
          alerts().some((e) => e.type === 'application.resumed' && e.fields?.by === 'bob'),
        );
        await expect(handle.executeUpdate(resumeUpdate, { args: [{ by: 'bob' }] })).rejects.toThrow();
      } finally {
        await handle.terminate('test done');
      }
    });
  });
});
