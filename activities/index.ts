import type { KubernetesObject } from '@kubernetes/client-node';
import type { SluiceEvent } from '../core/events/event.js';
import type { Caller } from '../core/identity.js';
import type { TrafficProviderName } from '../core/traffic/providers.js';
import type { GeneratorCluster } from '../schemas/loader/app-sets/inputs.js';
import { alertActivities } from './alerts/deliver.js';
import { analysisActivities } from './analysis/index.js';
import { approvalActivities } from './approvals/index.js';
import type { ChartSources } from './charts/chart-sources.js';
import { dependencyActivities } from './dependencies/index.js';
import { egressFetch } from './egress/guarded-fetch.js';
import { emitEvent } from './events/emit.js';
import { gitActivities } from './git/pipeline-commit.js';
import type { RepoCache } from './git/repo-cache.js';
import { imageActivities } from './images/index.js';
import { type AppliedObject, applyObjects } from './kube/apply.js';
import type { KubeClients } from './kube/client.js';
import { type DeploymentProgress, waitDeploymentAvailable } from './kube/deployment-available.js';
import { rolloutActivities } from './rollout/index.js';
import type { SecretStore } from './secrets/secret-store.js';
import { stepActivities } from './steps/index.js';
import { syncActivities } from './sync/index.js';
import type { RenderStore } from './sync/render-store.js';
import type { TrustConfig } from './trust/config.js';
import type { ProjectRegistry } from './trust/projects.js';
import type { SecretAccess } from './trust/secret-access.js';
import { startApplications } from './watcher/start-applications.js';
import { callWebhook } from './webhooks/call-webhook.js';
import type { WebhookPayload, WebhookResult, WebhookSpec } from './webhooks/payload.js';

/** What activities need from the outside world; the worker builds it, tests inject their own. */
export interface ActivityDeps {
  kube: KubeClients;
  repoCache: RepoCache;
  secrets: SecretStore;
  renderStore: RenderStore;
  /** Chart sources: version resolution, fetch, on-disk cache by digest. */
  charts?: ChartSources;
  /** Objects applied at once within a wave. */
  applyConcurrency: number;
  /** The secretRef of a configured repository URL, when the caller may use it (its own, or a Project bound to it). */
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  /** The clusters an ApplicationSet's clusters generator yields besides in-cluster (the worker config's). */
  clusters?: GeneratorCluster[];
  /** Prometheus the built-in rollout checks query, and MetricTemplates that name no address. */
  prometheusAddress?: string;
  /** Traffic provider written into Rollouts that name none when pipeline files are loaded. */
  defaultTrafficProvider?: TrafficProviderName;
  /** Temporal UI base URL for the links in alerts. */
  temporalUiUrl?: string;
  /** Slack Web API base URL (default https://slack.com/api/), e.g. for GovSlack or a proxy. */
  slackApiUrl?: string;
  /** What the administrator decides and activities enforce (docs/security.md). */
  trust: TrustConfig;
  /** The administrator's Projects and repository bindings, read when an activity acts. */
  projects: ProjectRegistry;
  /** Secrets named by pipeline files, handed out per the administrator's grants. */
  secretAccess: SecretAccess;
}

/** Builds every activity bound to its dependencies; workflows import only this function's type. */
export function createActivities(deps: ActivityDeps) {
  // Requests to destinations a pipeline file chose go through the egress policy (one connection pool);
  // the worker's own Prometheus, Slack API URL and Temporal are the administrator's and are exempt.
  const { egress } = deps.trust;
  return {
    ...gitActivities(deps),
    ...syncActivities(deps),
    ...rolloutActivities(deps),
    ...stepActivities(deps),
    ...imageActivities(deps),
    ...approvalActivities(deps),
    ...dependencyActivities(),
    ...analysisActivities({
      secrets: deps.secretAccess,
      defaultPrometheusAddress: deps.prometheusAddress,
      egress,
      kube: deps.kube,
      projects: deps.projects,
    }),
    ...alertActivities({
      secrets: deps.secretAccess,
      ...(deps.temporalUiUrl ? { temporalUiUrl: deps.temporalUiUrl } : {}),
      ...(deps.slackApiUrl ? { plugins: { slackApiUrl: deps.slackApiUrl } } : {}),
      egress,
    }),
    /** POSTs a rollout webhook (gate, load test, notification); answers how it went instead of throwing. */
    async callWebhook(input: {
      hook: WebhookSpec;
      payload: WebhookPayload;
      caller: Caller;
    }): Promise<WebhookResult> {
      return callWebhook(deps.secretAccess, input.hook, input.payload, input.caller, egressFetch(egress));
    },
    /** Server-side applies objects with field manager `sluice`. */
    async applyManifests(objects: KubernetesObject[]): Promise<AppliedObject[]> {
      return applyObjects(deps.kube, objects);
    },
    /** Waits, heartbeating, until a Deployment is Available with all replicas ready. */
    async waitDeploymentAvailable(input: { namespace: string; name: string }): Promise<DeploymentProgress> {
      return waitDeploymentAvailable(deps.kube, input.namespace, input.name);
    },
    /** Starts a commit's application workflows with the client (not as the watcher's children). */
    startApplications,
    /** Records an event (alert providers subscribe here). */
    async emitEvent(event: SluiceEvent): Promise<void> {
      return emitEvent(event);
    },
  };
}

/** The activities object workflows proxy. */
export type SluiceActivities = ReturnType<typeof createActivities>;
