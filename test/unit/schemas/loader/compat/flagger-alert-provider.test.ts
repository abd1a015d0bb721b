import { describe, expect, it } from 'vitest';
import { slackWebhookSecretName } from '../../../../../schemas/loader/compat/flagger-alert-provider.js';
import { formatLoadError } from '../../../../../schemas/loader/index.js';
import { load } from '../../helpers.js';

const provider = (spec: string) => `apiVersion: flagger.app/v1beta1
kind: AlertProvider
metadata: {name: on-call, namespace: flagger}
spec:
${spec}`;
const url = 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN';

describe('Flagger AlertProvider conversion', () => {
  it('turns a Slack provider with a secretRef into an incoming-webhook provider reading the secret address', () => {
    const r = load({ 'p.yaml': provider('  type: slack\n  channel: ops\n  secretRef: {name: slack-url}\n') });
    expect(r.errors.map(formatLoadError)).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.objects[0]?.spec).toEqual({
      type: 'slack',
      mode: 'webhook',
      channel: 'ops',
      secretRef: { name: 'slack-url', key: 'address' },
    });
  });

  it('never copies a literal Slack webhook URL: it names a secret to create and says so', () => {
    const r = load({ 'p.yaml': provider(`  type: slack\n  address: ${url}\n`) });
    expect(r.errors.map(formatLoadError)).toEqual([]);
    const secret = slackWebhookSecretName('on-call');
    expect(secret).toBe('on-call-slack-webhook');
    expect(r.objects[0]?.spec).toEqual({
      type: 'slack',
      mode: 'webhook',
      secretRef: { name: secret, key: 'address' },
    });
    expect(JSON.stringify(r.objects)).not.toContain('SECRETTOKEN');
    const warnings = r.warnings.map(formatLoadError);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'p.yaml:6:3: spec.address: not converted: a Slack webhook URL carries its token',
    );
    expect(warnings[0]).toContain('create the secret "on-call-slack-webhook" with key "address"');
    expect(warnings[0]).not.toContain('SECRETTOKEN');
  });

  it('uses the secret when both are set, as Flagger does, and keeps literal addresses of other types', () => {
    const both = load({ 'p.yaml': provider(`  type: slack\n  address: ${url}\n  secretRef: {name: s}\n`) });
    expect(both.objects[0]?.spec).toEqual({
      type: 'slack',
      mode: 'webhook',
      secretRef: { name: 's', key: 'address' },
    });
    expect(both.warnings.map(formatLoadError)).toEqual([
      expect.stringContaining("spec.address: not converted: the secret's address key is the webhook URL"),
    ]);
    const hook = load({ 'p.yaml': provider('  type: webhook\n  address: http://receiver.ops/alerts\n') });
    expect(hook.objects[0]?.spec).toEqual({ type: 'webhook', address: 'http://receiver.ops/alerts' });
  });
});
