import { describe, expect, it } from 'vitest';
import { UnknownAlertProviderError } from '../../../../plugins/alerts/errors.js';
import { alertProviderTypes, createAlertPlugin } from '../../../../plugins/alerts/factory.js';

describe('alert plugin factory', () => {
  it('builds each built-in type', () => {
    expect(alertProviderTypes()).toEqual(['discord', 'msteams', 'slack', 'webhook']);
    expect(createAlertPlugin('slack', { name: 'a', channel: 'C1', secret: 'xoxb-1' }).type).toBe('slack');
    expect(createAlertPlugin('msteams', { name: 'a', secret: 'https://x/y' }).type).toBe('msteams');
    expect(createAlertPlugin('discord', { name: 'a', address: 'https://x/y' }).type).toBe('discord');
    expect(createAlertPlugin('webhook', { name: 'a', address: 'https://x/y' }).type).toBe('webhook');
  });

  it('rejects an unknown type with a did-you-mean, never falling back', () => {
    expect(() => createAlertPlugin('slak', { name: 'ops' })).toThrow(UnknownAlertProviderError);
    expect(() => createAlertPlugin('slak', { name: 'ops' })).toThrow(
      'AlertProvider ops: unknown type "slak" (did you mean "slack"?); known types: discord, msteams, slack, webhook',
    );
    expect(() => createAlertPlugin('toString', { name: 'ops' })).toThrow(/unknown type "toString"/);
  });
});
