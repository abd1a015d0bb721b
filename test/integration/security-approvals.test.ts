// The attack: approvals and rollout gates trusted `--by`, so anyone who could send a Temporal update
// approved as anyone. Now a step or Rollout that lists approvers needs an approval signed with a key
// the worker config holds for one of them; `--by` alone, a key that only claims a name, another run's
// token and an approver not on the list are all refused, and the run keeps waiting.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineCommand } from '../../cli/commands/pipeline.js';
import { rolloutCommand } from '../../cli/commands/rollout.js';
import { addTemporalOptions } from '../../cli/global-options.js';
import type { RolloutSpec } from '../../schemas/types.generated.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { pipelineLockId } from '../../workflows/pipeline/lock-messages.js';
import {
  approveUpdate,
  type PipelineRunStatus,
  pipelineStatusQuery,
} from '../../workflows/pipeline/messages.js';
import { rolloutStatusQuery } from '../../workflows/rollout/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { approverKey } from './helpers/approvers.js';
import { testKube } from './helpers/kube.js';
import { startPipelineRun } from './helpers/pipeline-run.js';
import {
  applyAsSync,
  ensureNamespace,
  rolloutTarget,
  startRollout,
  targetDeployment,
  waitForRollout,
} from './helpers/rollout.js';
import { openTestTrust, startTestWorker } from './helpers/test-worker.js';

const config = loadStackConfig();
const address = `127.0.0.1:${config.ports.temporal}`;

/** `sluice …` in process; answers what it printed on stdout, or throws the CLI's error. */
async function sluice(...args: string[]): Promise<void> {
  const cli = addTemporalOptions(new Command('sluice'))
    .addCommand(pipelineCommand())
    .addCommand(rolloutCommand());
  const exitOverride = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  };
  exitOverride(cli);
  await cli.parseAsync(['--temporal-address', address, ...args], { from: 'user' });
}
/** 'accepted', or the refusal's message with its causes (Temporal wraps the workflow's reason). */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: Error) => [e.message, (e.cause as Error | undefined)?.message].filter(Boolean).join(': '),
  );

describe('security: approvals and rollout gates carry a verified identity', () => {
  const suffix = Date.now().toString(36);
  const keys = mkdtempSync(join(tmpdir(), 'sluice-approvers-'));
  const alice = approverKey(keys, 'alice');
  const bob = approverKey(keys, 'bob');
  // Mallory can send Temporal updates; she makes her own key and names it alice.
  const mallory = approverKey(keys, 'alice', 'mallory');
  const ns = `sec-appr-${suffix}`;
  const kube = testKube();
  const cleanup: string[] = [];
  let env: Awaited<ReturnType<typeof startTestWorker>>;

  beforeAll(async () => {
    delete process.env.SLUICE_APPROVER_KEY;
    env = await startTestWorker('sec-approvals', {
      trust: {
        ...openTestTrust,
        approvers: [
          { name: 'alice', publicKey: alice.publicKey, groups: ['release'] },
          { name: 'bob', publicKey: bob.publicKey, groups: [] },
        ],
      },
    });
  });
  afterAll(async () => {
    for (const id of cleanup)
      await env?.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
    await env?.stop();
    await kube.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('a Pipeline approve step with approvers: [alice] refuses --by alice, a forged key, bob, and alice’s token replayed from history for the next step; takes alice’s signed approvals', async () => {
    const name = `sec-appr-${suffix}`;
    const run = await startPipelineRun(env, {
      name: 'p',
      yaml: `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata: {name: ${name}}
spec:
  trigger: {manual: {}}
  steps:
    - {name: signoff, uses: approve, with: {approvers: [alice]}}
    - {name: production, uses: approve, with: {approvers: [alice]}}
`,
    });
    cleanup.push(run.workflowId, pipelineLockId('test', name));
    const waitingAt = (step: string) =>
      waitFor(
        `the run to wait for approval of ${step}`,
        async () => {
          const s: PipelineRunStatus = await run.query(pipelineStatusQuery);
          return s.phase === 'Waiting' && s.current.includes(step) && s;
        },
        60_000,
        250,
      );
    const stillWaiting = async (step: string) => {
      const s = await run.query(pipelineStatusQuery);
      expect(s.phase).toBe('Waiting');
      expect(s.steps.find((x) => x.name === step)).toMatchObject({ phase: 'Waiting' });
      expect(s.steps.find((x) => x.name === step)?.approvedBy).toBeUndefined();
    };
    const approve = (step: string, ...args: string[]) =>
      refusal(sluice('pipeline', 'approve', `test/${name}/1`, step, ...args));
    await waitingAt('signoff');

    // 1. `--by alice` is only a claim.
    expect(await approve('signoff', '--by', 'alice')).toMatch(
      /step "signoff" may be approved only by alice, with a signed approval/,
    );
    await stillWaiting('signoff');

    // 2. Mallory's own key, named alice: the signature does not verify with alice's configured key.
    expect(await approve('signoff', '--key', mallory.file)).toMatch(
      /approval refused: the approval token is not signed by alice's key/,
    );
    await stillWaiting('signoff');

    // 3. Bob is a configured approver, but not one this step lists.
    expect(await approve('signoff', '--key', bob.file)).toMatch(
      /bob may not approve step "signoff" \(approvers: alice\)/,
    );
    await stillWaiting('signoff');

    // 4. Alice signs off.
    expect(await approve('signoff', '--key', alice.file, '-o', 'json')).toBe('accepted');
    await waitingAt('production');

    // 5. Anyone who can read the run's history finds alice's token there and plays it for the next step.
    const { events } = await run.fetchHistory();
    const accepted = (events ?? [])
      .map(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0],
      )
      .filter((x) => x?.data)
      .map(
        (x) =>
          JSON.parse(Buffer.from(x?.data as Uint8Array).toString('utf8')) as { step: string; token?: string },
      );
    // The last one for signoff is alice's (mallory's and bob's refused attempts are in history before it).
    const stolen = accepted.filter((a) => a.step === 'signoff' && a.token).at(-1)?.token as string;
    expect(stolen).toMatch(/^v1\./);
    expect(
      await refusal(run.executeUpdate(approveUpdate, { args: [{ step: 'production', token: stolen }] })),
    ).toMatch(/the approval token is for step "signoff", not step "production"/);
    await stillWaiting('production');

    // 6. Alice approves production with a token of its own: both recorded as alice, verified.
    expect(await approve('production', '--key', alice.file, '-o', 'json')).toBe('accepted');
    const done = await run.result();
    expect(done.phase).toBe('Succeeded');
    for (const step of done.steps)
      expect(step).toMatchObject({
        phase: 'Succeeded',
        approvedBy: 'alice',
        approvalVerified: true,
        outputs: { by: 'alice', verified: true },
      });
  });

  it('a Rollout with promotion.approvers: [group:release] — refuses an unsigned promote, a forged resume and bob; alice’s signed promote promotes', async () => {
    await ensureNamespace(env.deps, ns);
    const t = rolloutTarget(ns, 'gated', 'gateway-api');
    await applyAsSync(env.deps, targetDeployment(ns, 'gated', 'example/app:1'));
    const spec: Omit<RolloutSpec, 'targetRef' | 'service'> = {
      provider: 'gateway-api',
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] } },
      analysis: { interval: '1s' },
      promotion: { approvers: ['group:release'] },
    };
    const init = await startRollout(env, t, spec);
    expect((await init.result()).phase).toBe('Initialized');
    await applyAsSync(env.deps, targetDeployment(ns, 'gated', 'example/app:2'));
    const handle = await startRollout(env, t, spec);
    cleanup.push(handle.workflowId);
    await waitForRollout(handle, 'the pause at 20%', (s) => s.canaryWeight === 20 && s.phase === 'Paused');
    const held = async () => {
      const s = await handle.query(rolloutStatusQuery);
      expect(s).toMatchObject({ phase: 'Paused', canaryWeight: 20 });
    };

    // Anyone who can send Temporal updates, with or without a name.
    expect(await refusal(sluice('rollout', 'promote', handle.workflowId))).toMatch(
      /promote of gated may be approved only by group:release, with a signed approval/,
    );
    await held();
    expect(await refusal(sluice('rollout', 'promote', handle.workflowId, '--by', 'alice'))).toMatch(
      /promote of gated may be approved only by group:release, with a signed approval/,
    );
    await held();
    expect(await refusal(sluice('rollout', 'resume', handle.workflowId, '--key', mallory.file))).toMatch(
      /not signed by alice's key/,
    );
    await held();
    expect(await refusal(sluice('rollout', 'promote', handle.workflowId, '--key', bob.file))).toMatch(
      /bob may not approve promote of gated \(approvers: group:release\)/,
    );
    await held();

    await sluice('rollout', 'promote', handle.workflowId, '--key', alice.file, '-o', 'json');
    const done = await handle.result();
    expect(done.phase).toBe('Succeeded');
    expect(done.step).toBe(1); // the 60% step was skipped
    expect(done.approvals).toEqual([
      { action: 'promote', by: 'alice', verified: true, at: expect.any(String) },
    ]);
  });
});
