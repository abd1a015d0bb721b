import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  rolloutPromoted,
  rolloutRolledBack,
  rolloutStarted,
  rolloutStepAdvanced,
} from '../../../../core/events/kinds.js';
import {
  AlertConfigError,
  AlertRejectedError,
  AlertUnavailableError,
} from '../../../../plugins/alerts/errors.js';
import { SlackAlerts } from '../../../../plugins/alerts/slack.js';
import { type FakeSlack, startFakeSlack } from '../../../../scripts/stack/simulators/slack-api.js';

const token = 'xoxb-test-0000-secret';
const s = { subject: 'shop', revision: 'abc1234def', workflowId: 'rollout/shop/abc1234' };

describe('slack alert plugin (real WebClient against a local Slack API)', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack({ token });
  });
  afterEach(() => slack.close());

  const plugin = (config: Partial<ConstructorParameters<typeof SlackAlerts>[0]> = {}) =>
    new SlackAlerts(
      { name: 'ops', channel: 'C0ALERTS', secret: token, ...config },
      { slackApiUrl: slack.url },
    );

  it('posts Block Kit with the token, threads a rollout and rewrites the parent at the end', async () => {
    const p = plugin({ username: 'sluice' });
    const first = await p.post(
      { ...rolloutStarted(s), link: 'http://ui/x', at: Date.now() },
      { idempotencyKey: 'e1' },
    );
    expect(first).toEqual({ duplicate: false, thread: { channel: 'C0ALERTS', ts: expect.any(String) } });
    const thread = first.thread as { channel: string; ts: string };
    await p.post(rolloutStepAdvanced(s, { weight: 20, index: 1, of: 3 }), { idempotencyKey: 'e2', thread });
    const last = await p.post(
      rolloutRolledBack(s, { metric: { name: 'error-rate', value: 0.12, threshold: '<= 0.01' }, weight: 20 }),
      { idempotencyKey: 'e3', thread },
    );
    expect(last.thread).toEqual(thread);

    expect(slack.calls.every((c) => c.authorization === `Bearer ${token}`)).toBe(true);
    const [parent] = slack.parents('C0ALERTS');
    expect(slack.parents('C0ALERTS')).toHaveLength(1);
    const replies = slack.replies('C0ALERTS', thread.ts);
    expect(replies.map((r) => r.thread_ts)).toEqual([thread.ts, thread.ts]);
    expect(replies[0]?.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(JSON.stringify(replies[1]?.blocks)).toContain('error-rate');
    expect(JSON.stringify(replies[1]?.blocks)).toContain('0.12');
    expect(replies[1]?.metadata).toEqual({
      event_type: 'sluice_event',
      event_payload: { id: 'e3', type: 'rollout.rolledBack' },
    });
    // The parent: first posted from rollout.started, then rewritten with the final state.
    expect(parent?.username).toBe('sluice');
    expect(parent?.updates).toBe(1);
    expect(parent?.text).toContain('Rollout rolled back');
    expect(JSON.stringify(parent?.blocks)).toContain('Final state');
    expect(slack.calls.map((c) => c.method)).toContain('chat.update');
  });

  it('escapes text a pipeline author or an operator wrote, so it cannot ping a channel or hide a link', async () => {
    // The attack: a commit message or a suspend reason carrying Slack's control sequences.
    const message = 'fix <!channel> & see <https://evil.example|the docs>';
    await plugin().post({ ...rolloutStarted(s), message, at: Date.now() }, { idempotencyKey: 'esc' });
    const [posted] = slack.parents('C0ALERTS');
    const sent = JSON.stringify([posted?.text, posted?.blocks]);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<https://evil.example');
    expect(sent).toContain('fix &lt;!channel&gt; &amp; see &lt;https://evil.example|the docs&gt;');
  });

  it('does not post an event id twice: a retry finds the message by its metadata', async () => {
    const p = plugin();
    const at = Date.now();
    const a = await p.post({ ...rolloutStarted(s), at }, { idempotencyKey: 'same' });
    const b = await p.post({ ...rolloutStarted(s), at }, { idempotencyKey: 'same' });
    expect(b).toEqual({ duplicate: true, thread: a.thread });
    const thread = a.thread as { channel: string; ts: string };
    await p.post(rolloutPromoted(s), { idempotencyKey: 'end', thread });
    const again = await p.post(rolloutPromoted(s), { idempotencyKey: 'end', thread });
    expect(again.duplicate).toBe(true);
    expect(slack.messages).toHaveLength(2);
    // The parent update is idempotent and runs again on the retry.
    expect(slack.parents('C0ALERTS')[0]?.updates).toBe(2);
  });

  it('cannot look a channel given by name up in history: top-level posts are then at-least-once', async () => {
    const p = plugin({ channel: '#alerts' });
    await p.post(rolloutStarted(s), { idempotencyKey: 'dup' });
    await p.post(rolloutStarted(s), { idempotencyKey: 'dup' });
    expect(slack.parents('C0ALERTS')).toHaveLength(2);
  });

  it('maps a wrong token to a permanent error that does not quote it', async () => {
    const err = await plugin({ secret: 'xoxb-wrong' })
      .post(rolloutStarted(s), { idempotencyKey: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertRejectedError);
    expect(String((err as Error).message)).toContain('invalid_auth');
    expect(String((err as Error).message)).not.toContain('xoxb');
  });

  it('maps 429 with Retry-After and 5xx to retryable errors (the client itself does not retry)', async () => {
    slack.script({ status: 429, headers: { 'retry-after': '7' } });
    const limited = await plugin()
      .post(rolloutStarted(s), { idempotencyKey: 'r' })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(AlertUnavailableError);
    expect((limited as AlertUnavailableError).retryAfterMs).toBe(7000);
    slack.script({ status: 503 });
    const down = await plugin()
      .post(rolloutStarted(s), { idempotencyKey: 'r' })
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(AlertUnavailableError);
    expect(slack.messages).toHaveLength(0);
  });

  it('validates its configuration up front', () => {
    expect(() => new SlackAlerts({ name: 'ops', secret: token })).toThrow(AlertConfigError);
    expect(() => new SlackAlerts({ name: 'ops', channel: 'C1' })).toThrow(/secretRef/);
  });
});
