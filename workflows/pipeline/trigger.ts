// One long-lived workflow per Pipeline (`pipeline-trigger/<namespace>/<name>`), started by the
// repository watcher: it holds the Pipeline's current definition and starts its runs — by hand (the
// `run` update), when its Application reaches an event at a new revision, on a new commit of the
// watched repository (the watcher's `gitCommit` signal), or on a cron schedule (a Temporal Schedule
// it keeps in step with the definition).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { StepActivities } from '../../activities/steps/index.js';
import { pipelineScheduleId } from '../../core/workflow-ids.js';
import { activities, appEventWait, triggerCall } from '../activity-options.js';
import { imageTagSignal } from '../image/messages.js';
import { SluiceApp, SluiceKind, SluiceRevision } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import { workflowNow } from '../shared/workflow-time.js';
import { type PipelineRunInput, type PipelineTrigger, pipelineWorkflowId } from './messages.js';
import { pipelineWorkflow } from './run.js';
import {
  gitCommitSignal,
  type PipelineTriggerConfig,
  type PipelineTriggerInput,
  type PipelineTriggerStatus,
  pipelineDefinitionSignal,
  pipelineStopSignal,
  pipelineTriggerStatusQuery,
  runNowUpdate,
} from './trigger-messages.js';
import { pathsMatch } from './trigger-paths.js';

// biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
const iso = () => new Date(workflowNow()).toISOString();

/** Holds one Pipeline's definition and starts its runs on its trigger. */
export async function pipelineTriggerWorkflow(input: PipelineTriggerInput): Promise<PipelineTriggerStatus> {
  let config: PipelineTriggerConfig = input;
  const state = input.state ?? { seq: 0 };
  let stopped = false;
  let changed = false;
  let lastRun: string | undefined;
  const acts = activities<StepActivities>(triggerCall);
  const name = () => config.definition.name;
  const triggerKind = () => Object.keys(config.definition.spec.trigger)[0] as PipelineTrigger['kind'];
  const repoId = () => config.definition.repoId;
  const scheduleId = () => pipelineScheduleId(repoId(), name());

  const startRun = async (trigger: PipelineTrigger): Promise<string> => {
    for (;;) {
      state.seq++;
      const run = `${state.seq}${trigger.revision ? `-${trigger.revision.slice(0, 7)}` : ''}`;
      const workflowId = pipelineWorkflowId(repoId(), name(), run);
      const args: PipelineRunInput = {
        pipeline: config.definition,
        run,
        trigger: { ...trigger, time: iso() },
        ...(config.alertProviders ? { alertProviders: config.alertProviders } : {}),
      };
      try {
        await startChild(pipelineWorkflow, {
          workflowId,
          args: [args],
          // Runs outlive this workflow's continue-as-new and its stop.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: SluiceApp, value: name() },
            { key: SluiceKind, value: 'pipeline' },
            ...(trigger.revision ? [{ key: SluiceRevision, value: trigger.revision }] : []),
          ],
        });
        lastRun = workflowId;
        log.info('pipeline run started', { workflowId, trigger: trigger.kind });
        return workflowId;
      } catch (err) {
        // The ID of a run from before this workflow (a removed and re-added Pipeline): take the next.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
  };

  /** Keeps the Temporal Schedule of a cron trigger in step with the definition (deleted otherwise). */
  const syncSchedule = async () => {
    const cron = config.definition.spec.trigger.schedule?.cron;
    await acts.upsertPipelineSchedule({
      scheduleId: scheduleId(),
      ...(cron && !stopped
        ? {
            cron,
            workflowIdPrefix: pipelineWorkflowId(repoId(), name(), 'cron'),
            taskQueue: workflowInfo().taskQueue,
            input: {
              pipeline: config.definition,
              run: '',
              trigger: { kind: 'schedule' },
              ...(config.alertProviders ? { alertProviders: config.alertProviders } : {}),
            },
          }
        : {}),
    });
  };

  setHandler(pipelineDefinitionSignal, (next) => {
    if (stableHash(next) !== stableHash(config)) changed = true;
    config = next;
  });
  setHandler(pipelineStopSignal, () => {
    stopped = true;
  });
  setHandler(gitCommitSignal, async ({ repository, sha, changedPaths }) => {
    const git = config.definition.spec.trigger.git;
    if (!git || stopped || sha === state.lastCommit) return;
    if ((git.repository ?? config.repoId) !== repository) return;
    state.lastCommit = sha;
    if (!pathsMatch(git.paths, changedPaths)) return;
    await startRun({ kind: 'git', repository, revision: sha });
  });
  setHandler(imageTagSignal, async (notice) => {
    const image = config.definition.spec.trigger.image;
    // The policy workflow tells each tag once; a repeat (its retry after a lost answer) starts nothing.
    if (!image || stopped || notice.tag === state.lastImageTag) return;
    if (notice.policy !== `${config.definition.namespace}/${image.policyRef.name}`) return;
    state.lastImageTag = notice.tag;
    await startRun({ kind: 'image', image: notice });
  });
  setHandler(
    runNowUpdate,
    async ({ by, revision, inputs }) => ({
      workflowId: await startRun({
        kind: 'manual',
        ...(by ? { by } : {}),
        ...(revision ? { revision } : {}),
        ...(inputs ? { inputs } : {}),
      }),
    }),
    {
      validator: (_req) => {
        if (stopped) throw new Error(`Pipeline ${name()} was removed from Git`);
      },
    },
  );
  setHandler(pipelineTriggerStatusQuery, () => ({
    pipeline: name(),
    trigger: triggerKind(),
    runsStarted: state.seq,
    ...(lastRun ? { lastRun } : {}),
    ...(state.lastRevision ? { lastRevision: state.lastRevision } : {}),
    stopped,
  }));

  if (!input.state || config.definition.spec.trigger.schedule) await syncSchedule();
  while (!stopped) {
    const app = config.definition.spec.trigger.application;
    if (app) {
      // Wait (in a heartbeating activity) for the Application's event at a revision not run yet;
      // a new definition or a stop cancels the wait.
      const scope = new CancellationScope();
      const waiting = scope.run(() =>
        activities<StepActivities>(appEventWait, {
          summary: `wait for ${app.name} to be ${app.event ?? 'healthy'} at a new revision`,
        }).awaitApplicationEvent({
          repoId: config.definition.repoId,
          application: app.name,
          event: app.event ?? 'healthy',
          ...(state.lastRevision ? { after: state.lastRevision } : {}),
        }),
      );
      const result = await Promise.race([
        waiting,
        condition(() => changed || stopped || workflowInfo().continueAsNewSuggested).then(() => undefined),
      ]).catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
        return undefined;
      });
      if (result) {
        state.lastRevision = result.revision;
        await startRun({
          kind: 'application',
          application: app.name,
          repository: config.definition.repoId,
          revision: result.revision,
        });
      } else {
        scope.cancel();
        await waiting.catch(() => undefined);
      }
    } else await condition(() => changed || stopped || workflowInfo().continueAsNewSuggested);
    if (changed) {
      changed = false;
      await syncSchedule();
    }
    if (workflowInfo().continueAsNewSuggested && !stopped) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof pipelineTriggerWorkflow>({ ...config, state });
    }
  }
  await syncSchedule();
  await condition(allHandlersFinished);
  return { pipeline: name(), trigger: triggerKind(), runsStarted: state.seq, stopped };
}
