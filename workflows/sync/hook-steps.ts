// The steps around a sync's hooks that their delete policies decide (Argo CD's names): BeforeHookCreation (the
// default) deletes and creates a hook again; without it an existing hook is left as it ran; HookSucceeded and
// HookFailed delete a hook once it ran with that outcome. Deleting is an activity (tracking id checked).
import type { ActivityInterfaceFor, ActivityOptions } from '@temporalio/workflow';
import type { SluiceActivities } from '../../activities/index.js';
import type { ResourcesHealth } from '../../activities/sync/health-wait.js';
import { refKey } from '../../core/resource-ref.js';
import type { ApplyResult, PlannedResource } from '../../core/sync/types.js';
import type { SyncInput } from './workflow.js';

type Step = (summary: string, preset?: ActivityOptions) => ActivityInterfaceFor<SluiceActivities>;
type ApplyBase = Omit<Parameters<SluiceActivities['applyResources']>[0], 'refs'>;

const recreated = (r: PlannedResource) =>
  (r.deletePolicies ?? ['BeforeHookCreation']).includes('BeforeHookCreation');

/** The hook steps of one sync, calling its activities through `step`. */
export function hookSteps(step: Step, base: ApplyBase, owner: SyncInput['owner']) {
  return {
    /** Applies hooks: recreated (BeforeHookCreation) or created once; answers what was applied. */
    async applyHooks(label: string, hooks: PlannedResource[]): Promise<ApplyResult['applied']> {
      const again = hooks.filter(recreated).map((r) => r.ref);
      const once = hooks.filter((r) => !recreated(r)).map((r) => r.ref);
      const out: ApplyResult['applied'] = [];
      if (again.length > 0)
        out.push(
          ...(
            await step(`${label} (${again.length})`).applyResources({ ...base, refs: again, recreate: true })
          ).applied,
        );
      if (once.length > 0)
        out.push(
          ...(
            await step(`${label}, created once (${once.length})`).applyResources({
              ...base,
              refs: once,
              createOnly: true,
            })
          ).applied,
        );
      return out;
    },

    /** Deletes the hooks that succeeded (HookSucceeded) or failed (HookFailed) by their policy; running ones stay. */
    async deleteByPolicy(hooks: PlannedResource[], h: ResourcesHealth): Promise<void> {
      const statusOf = (r: PlannedResource) =>
        h.resources.find((x) => refKey(x.ref) === refKey(r.ref))?.status;
      const done = hooks.filter(
        (r) =>
          (statusOf(r) === 'Healthy' && r.deletePolicies?.includes('HookSucceeded')) ||
          (statusOf(r) === 'Degraded' && r.deletePolicies?.includes('HookFailed')),
      );
      if (done.length === 0) return;
      await step(`delete ${done.length} hook(s) that ran, by their delete policy`).deleteHooks({
        owner,
        refs: done.map((r) => r.ref),
      });
    },
  };
}
