import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;

/** Where the replay test (test/unit/workflows/replay.test.ts) reads recorded histories from. */
export const historiesDir = join(import.meta.dirname, '../../fixtures/histories');

/** True when this run re-records the replay fixtures (`npm run record:histories`). */
export const recordingHistories = (): boolean => process.env.SLUICE_RECORD_HISTORIES === '1';

// Credentials of a known shape: none may reach a fixture, whatever the test passed as its secrets.
const CREDENTIAL_SHAPES: [string, RegExp][] = [
  ['a Slack token', /xox[abposr]-[A-Za-z0-9-]{8,}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a GitHub token', /gh[pousr]_[A-Za-z0-9]{20,}/],
  ['an AWS access key', /AKIA[0-9A-Z]{16}/],
  ['a bearer token', /Bearer [A-Za-z0-9._~+/-]{12,}/],
];

/** Every string in a value, payload bytes decoded (and, when they hold JSON, every string inside it). */
function strings(value: unknown, key = ''): string[] {
  if (key === 'data' && typeof value === 'string') {
    const text = Buffer.from(value, 'base64').toString('utf8');
    try {
      return [text, ...strings(JSON.parse(text) as unknown)];
    } catch {
      return [text];
    }
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, k));
  return [];
}

/** What to look for of one secret: all of it, and each of its longer lines (a PEM is searched line by line). */
function fragments(secret: string): string[] {
  const lines = secret
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 12 && !l.startsWith('-----'));
  return [...new Set([secret, ...lines])].filter((f) => f.length > 0);
}

/** Throws naming each event that holds one of `secrets` or a credential-shaped string (never the value itself). */
export function assertNoSecrets(history: History, secrets: readonly string[], what: string): void {
  const checks: [string, (text: string) => boolean][] = [
    ...secrets.map((s, i): [string, (t: string) => boolean] => [
      `secret #${i + 1} (${s.slice(0, 3)}…, ${s.length} chars)`,
      (t) => fragments(s).some((f) => t.includes(f)),
    ]),
    ...CREDENTIAL_SHAPES.map(([name, re]): [string, (t: string) => boolean] => [name, (t) => re.test(t)]),
  ];
  const found: string[] = [];
  // Walk the JSON form, whose payload bytes are base64 strings under `data`.
  const { events } = proto.temporal.api.history.v1.History.create(history).toJSON() as {
    events?: { eventId?: string; eventType?: string }[];
  };
  for (const event of events ?? []) {
    const texts = strings(event);
    for (const [name, holds] of checks)
      if (texts.some(holds)) found.push(`event ${event.eventId} (${event.eventType}): ${name}`);
  }
  if (found.length > 0)
    throw new Error(
      `refusing to record ${what}: its history holds secrets, which must never enter Git:\n${found.join('\n')}`,
    );
}

/** The fixture form: History.toJSON (the form Worker.runReplayHistories' fromObject reads), two-space indented. */
export function historyFixture(history: History): string {
  return `${JSON.stringify(proto.temporal.api.history.v1.History.create(history).toJSON(), null, 2)}\n`;
}

/**
 * When SLUICE_RECORD_HISTORIES=1, writes the history of `workflowId` (its latest run, or `runId`) to
 * test/fixtures/histories/<fixtureName>.json for the replay test, after checking it holds none of
 * `secrets` (the values the test put in the worker's secret store, keys, passwords) nor any
 * credential-shaped string. A running workflow is recorded as its history so far; replay handles that.
 * Otherwise does nothing, so ordinary integration runs leave the fixtures alone.
 */
export async function recordHistory(
  client: Client,
  workflowId: string,
  fixtureName: string,
  opts: { runId?: string; secrets?: readonly string[] } = {},
): Promise<void> {
  if (!recordingHistories()) return;
  const history = await client.workflow.getHandle(workflowId, opts.runId).fetchHistory();
  assertNoSecrets(history, opts.secrets ?? [], `${workflowId} as ${fixtureName}`);
  writeFileSync(join(historiesDir, `${fixtureName}.json`), historyFixture(history));
}

/** The workflow IDs of the children a workflow started, in the order it started them. */
export async function childWorkflowIds(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const id = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    return id ? [id] : [];
  });
}
