import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { type History, syncProgress } from '../../../cli/sync-progress.js';

const payload = (v: unknown) => defaultPayloadConverter.toPayload(v);
const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' };

/** A sync's history as the server keeps it: scheduled steps with summaries, then their results. */
const history = (events: object[]): History => ({ events }) as unknown as History;
const scheduled = (eventId: number, summary: string) => ({
  eventId,
  userMetadata: { summary: payload(summary) },
  activityTaskScheduledEventAttributes: { activityType: { name: 'x' } },
});
const completed = (scheduledEventId: number, result: unknown) => ({
  activityTaskCompletedEventAttributes: { scheduledEventId, result: { payloads: [payload(result)] } },
});

describe('a sync’s progress from its history', () => {
  it('lists the steps and, per object, what was planned, applied and how healthy it is', () => {
    const p = syncProgress(
      history([
        scheduled(5, 'render and apply web at abc1234'),
        completed(5, {
          renderKey: 'k',
          revision: 'abc',
          resources: [
            { ref: cm, wave: 0, prunable: true },
            { ref: web, wave: 1, prunable: true },
          ],
          applied: [{ ref: cm, status: 'Missing', changed: true }],
        }),
        scheduled(9, 'apply wave 1: 1 object(s)'),
        completed(9, { applied: [{ ref: web, status: 'OutOfSync', changed: true }] }),
        scheduled(12, 'wait for wave 1 to be healthy'),
        {
          activityTaskFailedEventAttributes: {
            scheduledEventId: 12,
            failure: { message: 'web is Degraded' },
          },
        },
      ]),
    );
    expect(p.steps).toEqual([
      { summary: 'render and apply web at abc1234', state: 'Succeeded' },
      { summary: 'apply wave 1: 1 object(s)', state: 'Succeeded' },
      { summary: 'wait for wave 1 to be healthy', state: 'Failed', message: 'web is Degraded' },
    ]);
    expect(p.resources).toEqual([
      { ref: cm, wave: 0, sync: 'Synced', health: '-', message: 'created' },
      { ref: web, wave: 1, sync: 'Synced', health: '-', message: 'configured' },
    ]);
  });

  it('grades objects by a health step’s answer and keeps a running step as Running', () => {
    const p = syncProgress(
      history([
        scheduled(5, 'render web'),
        completed(5, { resources: [{ ref: web, wave: 0, prunable: true }] }),
        scheduled(7, 'wait for wave 0 to be healthy'),
        completed(7, {
          status: 'Progressing',
          resources: [{ ref: web, status: 'Progressing', message: '1 of 2 available' }],
        }),
        scheduled(9, 'prune web: 0 candidate(s)'),
      ]),
    );
    expect(p.steps.map((s) => s.state)).toEqual(['Succeeded', 'Succeeded', 'Running']);
    expect(p.resources).toEqual([
      { ref: web, wave: 0, sync: 'Pending', health: 'Progressing', message: '1 of 2 available' },
    ]);
  });
});
