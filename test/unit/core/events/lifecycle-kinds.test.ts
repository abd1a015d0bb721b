import { describe, expect, it } from 'vitest';
import { applicationRemoved, rolloutHandedBack } from '../../../../core/events/kinds.js';
import { eventTitle } from '../../../../plugins/alerts/format.js';

describe('application lifecycle events', () => {
  it('says what removal deleted and kept, as a warning', () => {
    const e = applicationRemoved(
      { subject: 'web', revision: 'abcdef1234' },
      { mode: 'deleted', deleted: 8, kept: 1, reason: 'removed from http://git/x.git at abcdef1' },
    );
    expect(e).toMatchObject({
      type: 'application.removed',
      severity: 'warn',
      fields: { deleted: 8, kept: 1 },
    });
    expect(e.message).toBe('web removed from http://git/x.git at abcdef1: deleted 8 object(s), kept 1');
    expect(eventTitle(e)).toBe('⚠️ Application removed · web');
  });

  it('says that objects were left in place when prune is off', () => {
    const e = applicationRemoved(
      { subject: 'web' },
      { mode: 'orphaned', deleted: 0, kept: 3, reason: 'removed' },
    );
    expect(e.message).toBe('web removed: automated prune is off: its 3 object(s) are left in place');
  });

  it('names the Deployment that serves again when progressive delivery stops', () => {
    const e = rolloutHandedBack({ subject: 'shop' }, { rollout: 'web', deployment: 'web' });
    expect(e).toMatchObject({ type: 'rollout.handedBack', severity: 'info' });
    expect(e.message).toBe(
      'shop no longer names Rollout web: web serves all traffic again and web-primary was deleted',
    );
    expect(eventTitle(e)).toBe('ℹ️ Progressive delivery stopped · shop');
  });

  it('is an error naming what failed when deleting did not finish', () => {
    const e = applicationRemoved(
      { subject: 'web' },
      { mode: 'deleted', deleted: 2, kept: 0, reason: 'removed', error: 'connection refused' },
    );
    expect(e.severity).toBe('error');
    expect(e.message).toBe(
      'web removed: deleting its objects failed (connection refused) after 2 were deleted: delete the rest by hand',
    );
  });
});
