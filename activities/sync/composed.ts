// Activities made of the sync engine's steps, so a sync or an application's live check costs one activity (one
// row in the Temporal UI, one task round trip) where that shows every step that happened.
import type { AppResourceDiff, IgnoreDifference } from '../../core/diff/types.js';
import type { HealthOptions } from '../../core/health/health.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ApplyResult, PlannedResource, RenderedApplication } from '../../core/sync/types.js';
import type { Owner } from './apply.js';
import type { ResourcesHealth } from './health-wait.js';
import type { RenderAppInput } from './index.js';
import type { RenderRequest } from './render.js';

/** The steps these are made of (the sync activities themselves). */
interface Steps {
  renderApp(input: RenderAppInput): Promise<RenderedApplication>;
  applyResources(input: {
    request: RenderRequest;
    owner: Owner;
    refs: ResourceRef[];
    adopt?: boolean;
    cluster: string;
    createNamespace?: string;
    keepLive?: IgnoreDifference[];
  }): Promise<ApplyResult>;
  compareApp(input: {
    request: RenderRequest;
    owner: Owner;
    ignoreDifferences?: IgnoreDifference[];
    inventory?: ResourceRef[];
  }): Promise<AppResourceDiff[]>;
  resourcesHealth(input: {
    refs: ResourceRef[];
    health?: Omit<HealthOptions, 'now'>;
  }): Promise<ResourcesHealth>;
}

/** A render whose objects all go in one wave with no hooks: nothing has to be healthy before something else is applied. */
export function isOneStep(resources: PlannedResource[]): boolean {
  return resources.every((r) => !r.hook && r.wave === resources[0]?.wave);
}

/** Input of renderAndApply: a render, and how its objects are applied if it is one step. */
export interface RenderAndApplyInput extends RenderAppInput {
  createNamespace?: string;
  keepLive?: IgnoreDifference[];
  adopt?: boolean;
  /** Also assess the applied objects' health right after the apply (from the live-state cache), with these rules. */
  assessHealth?: { health?: Omit<HealthOptions, 'now'> };
}

/** Input of appLiveState: the application's synced render, its inventory and its health rules. */
export interface AppLiveStateInput {
  request: RenderRequest;
  owner: Owner;
  ignoreDifferences?: IgnoreDifference[];
  inventory: ResourceRef[];
  health?: Omit<HealthOptions, 'now'>;
}

/** An application's live state: its objects' health, and those that differ from Git (without diff text). */
export interface AppLiveState {
  health: ResourcesHealth;
  drifted: AppResourceDiff[];
}

/** The composed activities over the sync steps. */
export function composedSyncActivities(steps: Steps) {
  return {
    /**
     * Renders, checks against the Project and, when the render is one step (one wave, no hooks), applies it in the
     * same activity; `applied` is absent when the workflow has to apply wave by wave. Asked to, it also answers the
     * applied objects' health now: a sync whose objects are already Healthy (a no-op resync) needs no wait step.
     */
    async renderAndApply(
      input: RenderAndApplyInput,
    ): Promise<RenderedApplication & { applied?: ApplyResult['applied']; health?: ResourcesHealth }> {
      const rendered = await steps.renderApp(input);
      const normal = rendered.resources.filter((r) => !r.hook);
      if (!isOneStep(rendered.resources) || normal.length === 0) return rendered;
      const { applied } = await steps.applyResources({
        request: input.request,
        owner: input.owner,
        cluster: input.cluster,
        refs: normal.map((r) => r.ref),
        ...(input.adopt ? { adopt: true } : {}),
        ...(input.createNamespace ? { createNamespace: input.createNamespace } : {}),
        ...(input.keepLive?.length ? { keepLive: input.keepLive } : {}),
      });
      if (!input.assessHealth) return { ...rendered, applied };
      const health = await steps.resourcesHealth({
        // ssa: Ignore in Git: never written, so not awaited (absent, it would read Missing forever).
        refs: normal.filter((r) => !r.ignored).map((r) => r.ref),
        ...(input.assessHealth.health ? { health: input.assessHealth.health } : {}),
      });
      return { ...rendered, applied, health };
    },

    /** Health and drift of an application's objects now, from the live-state cache (no request when it holds them). */
    async appLiveState(input: AppLiveStateInput): Promise<AppLiveState> {
      const diff = await steps.compareApp(input);
      const health = await steps.resourcesHealth({ refs: input.inventory, health: input.health });
      return {
        health,
        // Refs and statuses only: a diff's text would grow the application's history on every check.
        drifted: diff.filter((d) => d.status !== 'Synced').map((d) => ({ ...d, diff: '' })),
      };
    },
  };
}
