// One long-lived workflow per ImagePolicy (`image-policy/<repoId>/<namespace>/<name>`), started by the
// repository watcher. Each interval it scans the repository's tags (an activity); a newly selected tag is
// recorded in the workflow's state first, then written by each ImageUpdateAutomation (an idempotent
// activity: it re-reads the files, so a retry after a push that landed pushes nothing) and told to each
// image-triggered Pipeline once. A registry or Git outage leaves the selection pending until a later
// interval succeeds: it delays the commit, never doubles it.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ImageActivities } from '../../activities/images/index.js';
import { nonRetryableErrorTypes } from '../../core/errors.js';
import { activities, imageScan, imageWriteBack } from '../activity-options.js';
import { durationMs } from '../shared/duration.js';
import { failureMessage } from '../shared/failure-message.js';
import { SluicePhase, SluiceRevision } from '../shared/search-attributes.js';
import { stableHash } from '../shared/stable-hash.js';
import { workflowNow } from '../shared/workflow-time.js';
import {
  type AutomationTarget,
  type ImagePolicyConfig,
  type ImagePolicyInput,
  type ImagePolicyState,
  type ImagePolicyStatus,
  imagePolicyConfigSignal,
  imagePolicyScanSignal,
  imagePolicyStatusQuery,
  imagePolicyStopSignal,
  imageTagSignal,
} from './messages.js';

/** True for a failure no retry can fix (a Project refusal, a bad path, a secret not granted). */
function permanent(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return (
    cause instanceof ApplicationFailure &&
    (cause.nonRetryable || nonRetryableErrorTypes.includes(cause.type ?? ''))
  );
}

// biome-ignore lint/style/noRestrictedGlobals: formats workflow time (workflowNow), deterministic on replay
const iso = () => new Date(workflowNow()).toISOString();

/** Scans one ImagePolicy's repository on its interval and hands each new selection to Git and Pipelines. */
export async function imagePolicyWorkflow(input: ImagePolicyInput): Promise<ImagePolicyStatus> {
  let config: ImagePolicyConfig = input;
  const state: ImagePolicyState = input.state ?? { scans: 0, written: {}, told: {} };
  let stopped = false;
  let wake = false;
  const label = () => `${config.namespace}/${config.name}`;
  const caller = () => ({ repoId: config.repoId, project: config.repository.project });
  const status = (): ImagePolicyStatus => ({
    ...state,
    policy: label(),
    image: config.repository.image,
    repoId: config.repoId,
    stopped,
  });

  setHandler(imagePolicyConfigSignal, (next) => {
    if (stableHash(next) !== stableHash(config)) {
      wake = true;
      // A new definition may fix what was refused: try those automations again.
      state.refused = undefined;
    }
    config = next;
  });
  setHandler(imagePolicyStopSignal, () => {
    stopped = true;
  });
  setHandler(imagePolicyScanSignal, () => {
    wake = true;
  });
  setHandler(imagePolicyStatusQuery, status);

  /** Lists the tags and records a new selection (state first: what follows acts on the recorded one). */
  const scan = async () => {
    state.scans++;
    const { image, secretRef } = config.repository;
    try {
      const result = await activities<ImageActivities>(imageScan, {
        summary: `list the tags of ${image}`,
      }).scanImagePolicy({
        caller: caller(),
        image,
        ...(secretRef ? { secretRef } : {}),
        policy: config.policy.policy as Parameters<ImageActivities['scanImagePolicy']>[0]['policy'],
        ...(config.policy.filterTags ? { filterTags: config.policy.filterTags } : {}),
      });
      state.lastScan = iso();
      state.tagsListed = result.tags;
      state.lastError = undefined;
      if (result.tag && result.tag !== state.selected?.tag) {
        log.info('image policy selected a new tag', { policy: label(), tag: result.tag });
        state.selected = { tag: result.tag, ...(result.digest ? { digest: result.digest } : {}), at: iso() };
        upsertSearchAttributes([{ key: SluiceRevision, value: result.tag }]);
      }
    } catch (err) {
      state.lastError = `scan ${image}: ${failureMessage(err)}`;
      log.warn('image scan failed; the next interval tries again', {
        policy: label(),
        error: state.lastError,
      });
    }
  };

  /** Writes the selection with one automation, unless it already has. */
  const write = async (target: AutomationTarget, selected: NonNullable<ImagePolicyState['selected']>) => {
    if (state.written[target.name]?.tag === selected.tag) return;
    // Refused for good at this tag: not cloned again every interval until the definition changes.
    if (state.refused?.[target.name]?.tag === selected.tag) return;
    try {
      const result = await activities<ImageActivities>(imageWriteBack, {
        summary: `${target.name}: set ${config.repository.image}:${selected.tag} in ${target.path}`,
      }).imageWriteBack({
        caller: { repoId: config.repoId, project: target.project },
        automation: target.name,
        policy: { namespace: config.namespace, name: config.name },
        selection: {
          image: config.repository.image,
          tag: selected.tag,
          ...(selected.digest ? { digest: selected.digest } : {}),
        },
        repoURL: target.repoURL,
        branch: target.branch,
        path: target.path,
        ...(target.secretRef ? { secretRef: target.secretRef } : {}),
        ...(target.author ? { author: target.author } : {}),
        workflowId: workflowInfo().workflowId,
      });
      state.written[target.name] = { tag: selected.tag, sha: result.sha, changed: result.changed, at: iso() };
    } catch (err) {
      state.lastError = `${target.name}: ${failureMessage(err)}`;
      if (permanent(err))
        state.refused = { ...state.refused, [target.name]: { tag: selected.tag, error: state.lastError } };
      log.warn('image write-back failed', { error: state.lastError, permanent: permanent(err) });
    }
  };

  /** Tells each image-triggered Pipeline the selection once. */
  const tell = async (selected: NonNullable<ImagePolicyState['selected']>) => {
    for (const id of config.pipelines) {
      if (state.told[id] === selected.tag) continue;
      try {
        await getExternalWorkflowHandle(id).signal(imageTagSignal, {
          policy: label(),
          image: config.repository.image,
          tag: selected.tag,
          ...(selected.digest ? { digest: selected.digest } : {}),
        });
        state.told[id] = selected.tag;
      } catch (err) {
        log.warn('could not tell a pipeline trigger; the next interval tries again', {
          id,
          error: failureMessage(err),
        });
      }
    }
  };

  while (!stopped) {
    await scan();
    const selected = state.selected;
    if (selected && !stopped) {
      for (const target of config.automations) await write(target, selected);
      await tell(selected);
    }
    const failing = state.lastError || Object.keys(state.refused ?? {}).length > 0;
    upsertSearchAttributes([{ key: SluicePhase, value: failing ? 'Failing' : 'Watching' }]);
    wake = false;
    await condition(() => wake || stopped, durationMs(config.repository.interval));
    if (workflowInfo().continueAsNewSuggested && !stopped) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof imagePolicyWorkflow>({ ...config, state });
    }
  }
  await condition(allHandlersFinished);
  return status();
}
