import type { KubernetesObject } from '@kubernetes/client-node';
import { alertActivities } from './alerts/deliver.js';
import { analysisActivities } from './analysis/index.js';
import { approvalActivities } from './approvals/index.js';
import { emitEvent } from './events/emit.js';
import type { SluiceEvent } from './events/event.js';
import { gitActivities } from './git/pipeline-commit.js';
import type { RepoCache } from './git/repo-cache.js';
import { type AppliedObject, applyObjects } from './kube/apply.js';
import type { KubeClients } from './kube/client.js';
import { type DeploymentProgress, waitDeploymentAvailable } from './kube/deployment-available.js';
import { rolloutActivities } from './rollout/index.js';
import type { SecretStore } from './secrets/secret-store.js';
import { stepActivities } from './steps/index.js';
import { syncActivities } from './sync/index.js';
import type { RenderStore } from './sync/render-store.js';
import type { TrustConfig } from './trust/config.js';
import { callWebhook } from './webhooks/call-webhook.js';
import type { WebhookPayload, WebhookResult, WebhookSpec } from './webhooks/payload.js';

/** What activities need from the outside world; the worker builds it, tests inject their own. */
export interface ActivityDeps {
  kube: KubeClients;
  repoCache: RepoCache;
  secrets: SecretStore;
  renderStore: RenderStore;
  /** Objects applied at once within a wave. */
  applyConcurrency: number;
  /** The secretRef for a repository URL (from the worker's repository config), if any. */
  credentialsFor: (url: string) => { name: string } | undefined;
  /** Prometheus the built-in rollout checks query, and MetricTemplates that name no address. */
  prometheusAddress?: string;
  /** Temporal UI base URL for the links in alerts. */
  temporalUiUrl?: string;
  /** Slack Web API base URL (default https://slack.com/api/), e.g. for GovSlack or a proxy. */
  slackApiUrl?: string;
  /** What the administrator decides and activities enforce (docs/security.md). */
  trust: TrustConfig;
}

/** Builds every activity bound to its dependencies; workflows import only this function's type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...gitActivities(deps),
    ...syncActivities(deps),
    ...rolloutActivities(deps),
    ...stepActivities(deps),
    ...approvalActivities(deps),
    ...analysisActivities({ secrets: deps.secrets, defaultPrometheusAddress: deps.prometheusAddress }),
    ...alertActivities({
      secrets: deps.secrets,
      ...(deps.temporalUiUrl ? { temporalUiUrl: deps.temporalUiUrl } : {}),
      ...(deps.slackApiUrl ? { plugins: { slackApiUrl: deps.slackApiUrl } } : {}),
    }),
    /** POSTs a rollout webhook (gate, load test, notification); answers how it went instead of throwing. */
    async callWebhook(input: { hook: WebhookSpec; payload: WebhookPayload }): Promise<WebhookResult> {
      return callWebhook(deps.secrets, input.hook, input.payload);
    },
    /** Server-side applies objects with field manager `sluice`. */
    async applyManifests(objects: KubernetesObject[]): Promise<AppliedObject[]> {
      return applyObjects(deps.kube, objects);
    },
    /** Waits, heartbeating, until a Deployment is Available with all replicas ready. */
    async waitDeploymentAvailable(input: { namespace: string; name: string }): Promise<DeploymentProgress> {
      return waitDeploymentAvailable(deps.kube, input.namespace, input.name);
    },
    /** Records an event (alert providers subscribe here). */
    async emitEvent(event: SluiceEvent): Promise<void> {
      return emitEvent(event);
    },
  };
}

/** The activities object workflows proxy. */
export type SluiceActivities = ReturnType<typeof createActivities>;
