import { describe, expect, it } from 'vitest';
import { applicationResumed, applicationSuspended } from '../../../../core/events/kinds.js';
import { eventFacts, eventTitle } from '../../../../plugins/alerts/format.js';

describe('operator events', () => {
  it('says who suspended an application and why, as a warning with both as fields', () => {
    const e = applicationSuspended(
      { subject: 'web', revision: 'abcdef1234' },
      { by: 'alice', reason: 'INC-42 hotfix', identity: '123@laptop' },
    );
    expect(e).toMatchObject({
      type: 'application.suspended',
      severity: 'warn',
      fields: { by: 'alice', reason: 'INC-42 hotfix', identity: '123@laptop' },
    });
    expect(e.message).toBe('web: automated sync and self-heal suspended by alice: INC-42 hotfix');
    expect(eventTitle(e)).toBe('⚠️ Automation suspended · web');
    expect(eventFacts(e)).toContainEqual(['by', 'alice']);
  });

  it('says who resumed it, with or without a reason', () => {
    const e = applicationResumed({ subject: 'web' }, { by: 'bob' });
    expect(e).toMatchObject({ type: 'application.resumed', severity: 'info', fields: { by: 'bob' } });
    expect(e.message).toBe('web: automation resumed by bob; it looks at Git and the cluster now');
    expect(applicationResumed({ subject: 'web' }, { by: 'bob', reason: 'fixed' }).message).toContain(
      'resumed by bob: fixed;',
    );
  });
});
