import { generateKeyPairSync } from 'node:crypto';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { assertNoSecrets, historyFixture, recordHistory } from '../../integration/helpers/record-history.js';

const History = proto.temporal.api.history.v1.History;

/** A one-event history whose workflow input is `input`, as JSON in a payload (bytes, as the server sends them). */
const started = (input: unknown) =>
  History.fromObject({
    events: [
      {
        eventId: '1',
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: 'syncWorkflow' },
          input: {
            payloads: [
              {
                metadata: { encoding: Buffer.from('json/plain') },
                data: Buffer.from(JSON.stringify(input)),
              },
            ],
          },
        },
      },
    ],
  });

describe('recording histories for the replay test', () => {
  it('refuses a history whose payload holds a secret the test used, naming the event but not the value', () => {
    const secret = `pw-${Date.now().toString(36)}-Zq7`;
    const check = () => assertNoSecrets(started({ git: { password: secret } }), [secret], 'sync/x');
    expect(check).toThrow(/event 1 \(EVENT_TYPE_WORKFLOW_EXECUTION_STARTED\): secret #1 \(pw-…/);
    expect(check).not.toThrow(secret);
  });

  it('finds a private key line by line, and credential shapes nobody named', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const body = pem.split('\n')[1] as string;
    expect(() => assertNoSecrets(started({ signature: body }), [pem], 'p')).toThrow(/secret #1/);
    expect(() => assertNoSecrets(started({ key: pem }), [], 'p')).toThrow(/a private key/);
    expect(() => assertNoSecrets(started({ token: 'xoxb-1234-5678-abcdefgh' }), [], 's')).toThrow(
      /a Slack token/,
    );
  });

  it('accepts a history that names secrets only by reference', () => {
    expect(() =>
      assertNoSecrets(started({ secretRef: { name: 'slack', key: 'token' } }), ['xoxb-real-token'], 'a'),
    ).not.toThrow();
  });

  it('writes the History.toJSON form, which the replay test reads back with fromObject', () => {
    const history = started({ app: 'web' });
    const back = History.fromObject(JSON.parse(historyFixture(history)));
    expect(back.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('syncWorkflow');
    expect(historyFixture(back)).toBe(historyFixture(history));
  });

  it('does nothing unless SLUICE_RECORD_HISTORIES=1', async () => {
    const before = process.env.SLUICE_RECORD_HISTORIES;
    delete process.env.SLUICE_RECORD_HISTORIES;
    try {
      const untouchable = new Proxy({}, { get: () => expect.unreachable('the client was used') });
      await expect(recordHistory(untouchable as never, 'sync/x', 'x')).resolves.toBeUndefined();
    } finally {
      if (before !== undefined) process.env.SLUICE_RECORD_HISTORIES = before;
    }
  });
});
