import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSignature, pushedBranch, verifyWebhook } from '../../../../worker/webhooks/signature.js';

const body = Buffer.from('{"ref":"refs/heads/main"}');
const secret = 'hook-secret';
const githubSig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyWebhook', () => {
  it('accepts GitHub X-Hub-Signature-256 computed over the exact body', () => {
    expect(hmacSignature(secret, body)).toBe(githubSig);
    expect(verifyWebhook({ 'x-hub-signature-256': githubSig }, body, secret)).toBe('github');
  });

  it('rejects a GitHub signature made with another secret or over another body', () => {
    expect(
      verifyWebhook({ 'x-hub-signature-256': hmacSignature('other', body) }, body, secret),
    ).toBeUndefined();
    expect(
      verifyWebhook({ 'x-hub-signature-256': githubSig }, Buffer.from(`${body} `), secret),
    ).toBeUndefined();
  });

  it('accepts the GitLab token only when it matches', () => {
    expect(verifyWebhook({ 'x-gitlab-token': secret }, body, secret)).toBe('gitlab');
    expect(verifyWebhook({ 'x-gitlab-token': 'nope' }, body, secret)).toBeUndefined();
  });

  it('accepts the generic X-Sluice-Signature HMAC', () => {
    expect(verifyWebhook({ 'x-sluice-signature': githubSig }, body, secret)).toBe('generic');
    expect(verifyWebhook({ 'x-sluice-signature': 'sha256=00' }, body, secret)).toBeUndefined();
  });

  it('an empty or whitespace-only secret verifies nothing: not an empty token, not an HMAC with an empty key', () => {
    for (const empty of ['', ' ', '\n\t ']) {
      expect(verifyWebhook({ 'x-gitlab-token': empty }, body, empty)).toBeUndefined();
      expect(verifyWebhook({ 'x-gitlab-token': '' }, body, empty)).toBeUndefined();
      expect(
        verifyWebhook({ 'x-hub-signature-256': hmacSignature(empty, body) }, body, empty),
      ).toBeUndefined();
      expect(
        verifyWebhook({ 'x-sluice-signature': hmacSignature(empty, body) }, body, empty),
      ).toBeUndefined();
    }
  });

  it('rejects a request with no signature header at all', () => {
    expect(verifyWebhook({ 'content-type': 'application/json' }, body, secret)).toBeUndefined();
  });
});

describe('pushedBranch', () => {
  it('reads the branch of a push event and nothing else', () => {
    expect(pushedBranch(body)).toBe('main');
    expect(pushedBranch(Buffer.from('{"ref":"refs/tags/v1"}'))).toBeUndefined();
    expect(pushedBranch(Buffer.from('not json'))).toBeUndefined();
  });
});
