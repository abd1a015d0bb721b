import { describe, expect, it } from 'vitest';
import { readiness } from '../../../../activities/dependencies/readiness.js';
import type { ApplicationStatus } from '../../../../workflows/application/messages.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

const status = (over: Partial<ApplicationStatus> = {}): ApplicationStatus => ({
  repoId: 'shop',
  name: 'db',
  project: 'team',
  revision: A,
  source: 'db.yaml:1',
  updates: 0,
  phase: 'Watching',
  sourceRevision: A,
  syncedRevision: A,
  syncStatus: 'Synced',
  health: 'Healthy',
  ...over,
});

describe('dependency readiness', () => {
  it('is ready when Synced and Healthy at the newest commit of its source', () => {
    expect(readiness(status(), 'shop/web')).toEqual({ ready: true });
  });

  it.each([
    ['removed from Git', { phase: 'Stopped' as const }],
    ['syncing', { phase: 'Syncing' as const }],
    ['its source is not resolved yet', { sourceRevision: undefined, syncedRevision: undefined }],
    ['not synced yet (source at aaaaaaa)', { syncedRevision: undefined }],
    // Mid-update: the source moved on and the dependency has not synced it yet.
    ['synced aaaaaaa, its source is at bbbbbbb', { sourceRevision: B }],
    ['OutOfSync', { syncStatus: 'OutOfSync' as const }],
    ['health Progressing', { health: 'Progressing' as const }],
    ['health Degraded', { health: 'Degraded' as const }],
  ])('is not ready: %s', (reason, over) => {
    expect(readiness(status(over), 'shop/web')).toEqual({ ready: false, reason });
  });

  it('on the same source, is not ready until it has seen the commit the dependent syncs', () => {
    const key = 'https://git.example.com/shop.git#main';
    const s = status({ sourceKey: key });
    // The dependent learned of B first; the dependency is still ready at A.
    expect(readiness(s, 'shop/web', { key, revision: B })).toEqual({
      ready: false,
      reason: "its source is at aaaaaaa, this Application's at bbbbbbb",
    });
    expect(readiness(s, 'shop/web', { key, revision: A })).toEqual({ ready: true });
    // Another source: its commits are not comparable.
    expect(readiness(s, 'shop/web', { key: 'https://git.example.com/web.git#main', revision: B })).toEqual({
      ready: true,
    });
  });

  it('names a cycle when the dependency waits for the asker', () => {
    const s = status({
      syncedRevision: undefined,
      waitingFor: [{ id: 'shop/web', reason: 'not synced yet' }],
    });
    expect(readiness(s, 'shop/web')).toEqual({
      ready: false,
      reason: 'waits for shop/web (a dependency cycle)',
    });
    expect(readiness(s, 'shop/other').ready).toBe(false);
  });
});
