import { describe, expect, it } from 'vitest';
import { errorLines } from '../helpers.js';

const provider = (spec: string) => ({
  'p.yaml': `apiVersion: sluice.dev/v1alpha1
kind: AlertProvider
metadata: {name: ops}
spec:
${spec}`,
});

describe('AlertProvider Slack modes', () => {
  it('accepts api mode (the default) with channel and token, and webhook mode with a secret URL', () => {
    expect(
      errorLines(provider('  type: slack\n  channel: C1\n  secretRef: {name: t, key: token}\n')),
    ).toEqual([]);
    expect(
      errorLines(provider('  type: slack\n  mode: api\n  channel: C1\n  secretRef: {name: t, key: token}\n')),
    ).toEqual([]);
    expect(
      errorLines(provider('  type: slack\n  mode: webhook\n  secretRef: {name: u, key: url}\n')),
    ).toEqual([]);
  });

  it('refuses a Slack webhook URL in address, and webhook mode without secretRef', () => {
    expect(
      errorLines(
        provider('  type: slack\n  mode: webhook\n  address: https://hooks.slack.com/services/T/B/X\n'),
      ),
    ).toEqual([
      'p.yaml:4:1: spec: mode webhook needs secretRef: the secret holding the incoming webhook URL',
      'p.yaml:7:3: spec.address: a Slack incoming webhook URL carries its token and must not be in a pipeline file (put the URL in a secret and name it in secretRef (the worker resolves it))',
    ]);
  });

  it('refuses what api mode would ignore or miss, and mode on other types', () => {
    expect(
      errorLines(
        provider('  type: slack\n  address: https://hooks.slack.com/x\n  secretRef: {name: t, key: token}\n'),
      ),
    ).toEqual([
      expect.stringMatching(/^p\.yaml:4:1: spec: slack in api mode needs channel/),
      expect.stringMatching(
        /^p\.yaml:6:3: spec\.address: slack in api mode posts to the Slack Web API with a bot token; address is not used \(for an incoming webhook URL set mode: webhook/,
      ),
    ]);
    expect(errorLines(provider('  type: webhook\n  mode: webhook\n  address: http://x.test/\n'))).toEqual([
      'p.yaml:6:3: spec.mode: mode applies to type slack only, not webhook',
    ]);
    expect(
      errorLines(
        provider('  type: slack\n  mode: hook\n  channel: C1\n  secretRef: {name: t, key: token}\n'),
      ),
    ).toEqual([expect.stringMatching(/spec\.mode: must be one of: api, webhook/)]);
  });
});
