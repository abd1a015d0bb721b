import { describe, expect, it } from 'vitest';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  historyQuery,
  liveChangedSignal,
} from '../../workflows/application/messages.js';
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
const degraded: Live = {
  health: {
    status: 'Degraded',
    resources: [{ ref: webDeployment.ref, status: 'Degraded', message: 'lost availability' }],
  },
  drifted: [],
};

/** An application announcing every alert to a webhook, its live state scripted by the test. */
function liveApp(automated: Record<string, unknown>) {
  const input = applicationInput({ automated });
  input.desired.spec.alerts = [{ name: 'team', severity: 'info', providerRef: { name: 'hooks' } }];
  input.desired.alertProviders = {
    'default/hooks': { type: 'webhook', address: 'http://127.0.0.1:9/hooks' },
  };
  return input;
}

const synced = (s: ApplicationStatus) => s.syncedRevision === sha('1') && s.phase === 'Watching';

describe('an application reacts to live changes the cluster cache signals', () => {
  it('without selfHeal: OutOfSync and one application.drifted alert per drift, however many events', async () => {
    let live = healthy;
    const fake = syncFakes({ head: () => sha('1'), live: () => live });
    const alerts = () => fake.calls.of('deliverAlert').map((a: InputOf<'deliverAlert'>) => a.event.type);
    await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-drift'),
        args: [liveApp({ prune: true })],
      });
      try {
        await queryUntil(handle, applicationStatusQuery, synced);
        live = drifted;
        // Signals that arrive together are looked at once; each look after the first sees the same drift.
        for (let i = 0; i < 3; i++)
          await handle.signal(liveChangedSignal, { refs: ['apps/Deployment shop/web'] });
        await queryUntil(handle, applicationStatusQuery, (s) => s.syncStatus === 'OutOfSync');
        const checks = fake.calls.count('appLiveState');
        await handle.signal(liveChangedSignal, { refs: ['apps/Deployment shop/web'] });
        await queryUntil(handle, applicationStatusQuery, () => fake.calls.count('appLiveState') > checks);
        expect(alerts().filter((t) => t === 'application.drifted')).toHaveLength(1);
        // Back in sync (someone synced by hand), then a new drift (of another object: an identical alert within
        // five minutes would be collapsed): a new alert.
        live = healthy;
        await handle.signal(liveChangedSignal, { refs: [] });
        await queryUntil(handle, applicationStatusQuery, (s) => s.syncStatus === 'Synced');
        const config = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' };
        live = { ...healthy, drifted: [{ ref: config, status: 'OutOfSync', diff: '' }] };
        await handle.signal(liveChangedSignal, { refs: [] });
        await queryUntil(
          handle,
          applicationStatusQuery,
          () => alerts().filter((t) => t === 'application.drifted').length === 2,
        );
        expect(await handle.query(historyQuery)).toHaveLength(1); // self-heal is off: nothing re-applied
      } finally {
        await handle.terminate('test done');
      }
    });
  });

  it('with selfHeal: heals at once, then no sooner than selfHealDelay after the last heal', async () => {
    let live = healthy;
    const fake = syncFakes({ head: () => sha('1'), live: () => live });
    const history = await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-heal'),
        args: [liveApp({ prune: true, selfHeal: true, selfHealDelay: '2s' })],
      });
      try {
        await queryUntil(handle, applicationStatusQuery, synced);
        live = drifted; // a controller that keeps undoing Sluice's write
        await handle.signal(liveChangedSignal, { refs: [] });
        await queryUntil(handle, historyQuery, (h) => h.length >= 2);
        // The heal's own write is a watch event too; the controller undid it again.
        await handle.signal(liveChangedSignal, { refs: [] });
        await queryUntil(handle, historyQuery, (h) => h.length >= 3, 15_000);
        live = healthy;
        return await handle.query(historyQuery);
      } finally {
        await handle.terminate('test done');
      }
    });
    const heals = history.slice(1, 3);
    expect(heals.every((h) => h.phase === 'Succeeded')).toBe(true);
    // selfHealDelay runs from one decision to heal to the next; each sync child records its start a little later.
    expect((heals[1]?.startedAt ?? 0) - (heals[0]?.startedAt ?? 0)).toBeGreaterThanOrEqual(1800);
    expect(
      fake.calls.of('deliverAlert').filter((a) => a.event.type === 'drift.healed').length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('health from the cache: Degraded with a sync.degraded alert, then healthy again with a recovery alert', async () => {
    let live = healthy;
    const fake = syncFakes({ head: () => sha('1'), live: () => live });
    const alerts = () => fake.calls.of('deliverAlert').map((a: InputOf<'deliverAlert'>) => a.event.type);
    await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const handle = await client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: id('app-health'),
        args: [liveApp({ prune: true, selfHeal: true })],
      });
      try {
        await queryUntil(handle, applicationStatusQuery, synced);
        live = degraded;
        await handle.signal(liveChangedSignal, { refs: [] });
        await queryUntil(handle, applicationStatusQuery, (s) => s.health === 'Degraded');
        await queryUntil(handle, applicationStatusQuery, () => alerts().includes('sync.degraded'));
        live = healthy;
        await handle.signal(liveChangedSignal, { refs: [] });
        await queryUntil(handle, applicationStatusQuery, (s) => s.health === 'Healthy');
        await queryUntil(handle, applicationStatusQuery, () => alerts().includes('application.recovered'));
        expect(await handle.query(historyQuery)).toHaveLength(1); // health changes are not drift: no sync
      } finally {
        await handle.terminate('test done');
      }
    });
  });
});
