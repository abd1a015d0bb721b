import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../worker/webhooks/receiver.js';
import { hmacSignature } from '../../../../worker/webhooks/signature.js';

describe('webhook receiver with an empty secret', () => {
  let receiver: WebhookReceiver;
  const pushes: string[] = [];
  const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const secrets: Record<string, string> = { empty: '', blank: '  \n', good: 'long-random-secret' };

  beforeAll(async () => {
    receiver = await startWebhookReceiver({
      target: (id) =>
        id in secrets
          ? { secret: async () => secrets[id], secretSource: `secret "${id}-hook", key "secret"` }
          : undefined,
      onPush: async (id) => {
        pushes.push(id);
      },
      log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
    });
  });
  afterAll(() => receiver?.close());

  const post = (id: string, body: string, headers: Record<string, string>) =>
    fetch(`${receiver.url}/webhooks/git/${id}`, { method: 'POST', body, headers });

  it('refuses an empty GitLab token, an empty-key GitHub HMAC and an empty-key generic HMAC (401), waking nothing', async () => {
    const body = '{"ref":"refs/heads/main"}';
    for (const id of ['empty', 'blank']) {
      const empty = secrets[id] as string;
      expect((await post(id, body, { 'x-gitlab-token': '' })).status).toBe(401);
      expect((await post(id, body, { 'x-gitlab-token': empty })).status).toBe(401);
      const hmac = hmacSignature(empty, Buffer.from(body));
      expect((await post(id, body, { 'x-hub-signature-256': hmac })).status).toBe(401);
      expect((await post(id, body, { 'x-sluice-signature': hmac })).status).toBe(401);
    }
    expect(pushes).toEqual([]);
    // A usable secret still works.
    expect((await post('good', body, { 'x-gitlab-token': secrets.good as string })).status).toBe(202);
    expect(pushes).toEqual(['good']);
  });

  it('warns once per repository, naming the secret and how to fix it, never its value', () => {
    const warnings = logs.filter((l) => l.msg.startsWith('webhook secret is empty'));
    expect(warnings.map((w) => w.fields?.repoId)).toEqual(['empty', 'blank']);
    expect(warnings[0]).toMatchObject({
      level: 'warn',
      fields: { secret: 'secret "empty-hook", key "secret"', hint: expect.stringContaining('non-empty') },
    });
  });
});
