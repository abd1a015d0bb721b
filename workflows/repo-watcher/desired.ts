// What a valid commit declares: its Applications (with their Rollout, MetricTemplates and
// AlertProviders) and the alert routes an invalid later commit is announced to.
import type { PipelineCommit } from '../../activities/git/pipeline-commit.js';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import type {
  Alert,
  AlertProvider,
  AlertProviderSpec,
  ApplicationSetSpec,
  MetricTemplateSpec,
  RolloutSpec,
} from '../../schemas/types.generated.js';
import type { DesiredApplication } from '../application/messages.js';
import { type AlertRoute, resolveAlertRoutes } from '../shared/alerts.js';
import type { SetPolicy } from './set-policy.js';

const key = (o: { metadata: { name: string; namespace?: string } }) =>
  `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** The Rollout an Application names, with the commit's MetricTemplates (by "namespace/name"). */
function rolloutOf(
  commit: PipelineCommit,
  namespace: string,
  name: unknown,
): Pick<DesiredApplication, 'rollout' | 'metricTemplates'> {
  if (typeof name !== 'string') return {};
  const rollout = commit.objects.find((o) => o.kind === 'Rollout' && key(o) === `${namespace}/${name}`);
  if (!rollout) return {};
  const templates = commit.objects.filter((o) => o.kind === 'MetricTemplate').map((o) => [key(o), o.spec]);
  return {
    rollout: { name, namespace, spec: rollout.spec as unknown as RolloutSpec },
    metricTemplates: Object.fromEntries(templates) as Record<string, MetricTemplateSpec>,
  };
}

/** The AlertProviders an Application's alerts and its Rollout's alerts name (by "namespace/name"); none: {}. */
function alertProvidersOf(
  commit: PipelineCommit,
  namespace: string,
  app: Pick<DesiredApplication, 'spec' | 'rollout'>,
): Pick<DesiredApplication, 'alertProviders'> {
  const refs = (alerts: Alert[] | undefined, ns: string) =>
    (alerts ?? []).map((a) => `${a.providerRef.namespace ?? ns}/${a.providerRef.name}`);
  const wanted = new Set([
    ...refs(app.spec.alerts as Alert[] | undefined, namespace),
    ...refs(app.rollout?.spec.analysis?.alerts, app.rollout?.namespace ?? namespace),
  ]);
  const providers = commit.objects.filter((o) => o.kind === 'AlertProvider' && wanted.has(key(o)));
  if (providers.length === 0) return {};
  return {
    alertProviders: Object.fromEntries(providers.map((o) => [key(o), o.spec])) as Record<
      string,
      AlertProviderSpec
    >,
  };
}

/** The alert routes of every Application, one per provider (an invalid commit is one event for all of them). */
export function repoAlertRoutes(commit: PipelineCommit, apps: Iterable<DesiredApplication>): AlertRoute[] {
  const providers = commit.objects.filter((o) => o.kind === 'AlertProvider') as unknown as AlertProvider[];
  const byProvider = new Map<string, AlertRoute>();
  for (const app of apps) {
    const { routes } = resolveAlertRoutes(
      app.spec.alerts as Alert[] | undefined,
      providers,
      { repoId: app.repoId, project: app.project },
      app.namespace,
    );
    for (const r of routes) if (!byProvider.has(r.provider.name)) byProvider.set(r.provider.name, r);
  }
  return [...byProvider.values()];
}

/** The ApplicationSets of a commit by "namespace/name", with their policy (a set that stays decides its Applications' removal). */
export function applicationSets(commit: PipelineCommit): Map<string, SetPolicy> {
  const sets = new Map<string, SetPolicy>();
  for (const o of commit.objects) {
    if (o.kind !== 'ApplicationSet') continue;
    const policy = (o.spec as ApplicationSetSpec).syncPolicy;
    sets.set(key(o), {
      set: key(o),
      policy: policy?.applicationsSync ?? 'sync',
      preserve: policy?.preserveResourcesOnDeletion ?? false,
    });
  }
  return sets;
}

/** Applications of a valid commit, keyed by their workflow ID (repository and name: core/workflow-ids.ts). */
export function desiredApplications(commit: PipelineCommit, repoId: string): Map<string, DesiredApplication> {
  const desired = new Map<string, DesiredApplication>();
  for (const obj of commit.objects) {
    if (obj.kind !== 'Application') continue;
    const spec = obj.spec as unknown as Record<string, unknown>;
    const namespace = obj.metadata.namespace ?? 'default';
    const app: DesiredApplication = {
      repoId,
      name: obj.metadata.name,
      // loadPipelineCommit sets the effective Project (the one named, or the repository's only one).
      project: spec.project as string,
      ...(obj.metadata.namespace ? { namespace } : {}),
      revision: commit.sha,
      spec,
      source: `${obj.source.file}:${obj.source.line}`,
      ...(obj.generatedBy ? { generatedBy: obj.generatedBy } : {}),
      ...rolloutOf(commit, namespace, spec.rollout),
    };
    desired.set(applicationWorkflowId(repoId, obj.metadata.name), {
      ...app,
      ...alertProvidersOf(commit, namespace, app),
    });
  }
  return desired;
}
