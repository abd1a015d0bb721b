import picomatch from 'picomatch';
import type { NonRetryableErrorType } from '../../core/errors.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import { refString } from '../../core/resource-ref.js';

/** The parts of a Project that constrain what an Application may deploy. */
export interface ProjectPolicy {
  name: string;
  sourceRepos: string[];
  destinations: { cluster?: string; namespace: string }[];
  clusterResourceAllowList?: { group: string; kind: string }[];
  clusterResourceDenyList?: { group: string; kind: string }[];
  namespaceResourceAllowList?: { group: string; kind: string }[];
  namespaceResourceDenyList?: { group: string; kind: string }[];
}

/** Raised before anything is applied when an application steps outside its Project. */
export class ProjectViolationError extends Error {
  override name = 'ProjectViolationError' satisfies NonRetryableErrorType;
}

// An empty pattern is the core API group (`group: ""`, as Argo CD writes it): picomatch throws on one.
const match = (pattern: string, value: string) =>
  pattern === '*' || (pattern === '' ? value === '' : picomatch.isMatch(value, pattern, { dot: true }));
const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
const listed = (list: { group: string; kind: string }[], ref: ResourceRef) =>
  list.some((e) => match(e.group, groupOf(ref.apiVersion)) && match(e.kind, ref.kind));

/** Whether the Project lets an application deploy to this cluster and namespace. */
export function destinationAllowed(policy: ProjectPolicy, cluster: string, namespace: string): boolean {
  return policy.destinations.some((d) => match(d.cluster ?? '*', cluster) && match(d.namespace, namespace));
}

/** Throws unless the Project allows reading this repository (checked before the worker contacts it). */
export function checkSource(
  policy: ProjectPolicy,
  use: { name: string; repoURL: string; what?: string },
): void {
  if (!policy.sourceRepos.some((p) => match(p, use.repoURL))) {
    throw new ProjectViolationError(
      `${use.what ?? 'Application'} ${use.name} (project ${policy.name}): source ${use.repoURL} is not in the project's sourceRepos [${policy.sourceRepos.join(', ')}]`,
    );
  }
}

/** Throws unless the Project allows deploying to the destination (checked before anything is created there). */
export function checkDestination(
  policy: ProjectPolicy,
  app: { name: string; cluster: string; namespace: string },
): void {
  if (!destinationAllowed(policy, app.cluster, app.namespace)) {
    const allowed = policy.destinations.map((d) => `${d.cluster ?? '*'}/${d.namespace}`).join(', ');
    throw new ProjectViolationError(
      `Application ${app.name} (project ${policy.name}): destination ${app.cluster}/${app.namespace} is not one of the project's destinations [${allowed || 'none'}]`,
    );
  }
}

/**
 * Checks an application's source, destination and every rendered object (hooks included) against its
 * Project, as Argo CD's AppProject does: cluster-scoped kinds are denied unless allow-listed, namespaced
 * kinds allowed unless deny-listed, and every object's namespace (the destination's, or one set inside
 * the manifest) must be an allowed destination. Throws ProjectViolationError naming the object and the rule.
 */
export function enforceProject(
  policy: ProjectPolicy,
  app: { name: string; repoURL: string; cluster: string; namespace: string },
  objects: { ref: ResourceRef; namespaced: boolean }[],
): void {
  checkSource(policy, app);
  checkDestination(policy, app);
  const where = `Application ${app.name} (project ${policy.name})`;
  for (const object of objects) checkObject(policy, where, app.cluster, object);
}

/**
 * Throws unless the Project lets `where` (e.g. "Application web (project team-a)") create this object in
 * the cluster: cluster-scoped kinds only when allow-listed, namespaced kinds unless deny-listed (or missing
 * from an allow-list), and only in a namespace that is one of the Project's destinations.
 */
export function checkObject(
  policy: ProjectPolicy,
  where: string,
  cluster: string,
  { ref, namespaced }: { ref: ResourceRef; namespaced: boolean },
): void {
  if (!namespaced) {
    const allowed =
      listed(policy.clusterResourceAllowList ?? [], ref) &&
      !listed(policy.clusterResourceDenyList ?? [], ref);
    if (!allowed) {
      throw new ProjectViolationError(
        `${where}: ${refString(ref)} is cluster-scoped and not in clusterResourceAllowList (or is in clusterResourceDenyList)`,
      );
    }
    return;
  }
  const allow = policy.namespaceResourceAllowList;
  if ((allow && !listed(allow, ref)) || listed(policy.namespaceResourceDenyList ?? [], ref)) {
    throw new ProjectViolationError(
      `${where}: ${refString(ref)} is not allowed by namespaceResourceAllowList / namespaceResourceDenyList`,
    );
  }
  const ns = ref.namespace ?? '';
  if (!destinationAllowed(policy, cluster, ns)) {
    throw new ProjectViolationError(
      `${where}: ${refString(ref)} targets ${cluster}/${ns}, which is not one of the project's destinations`,
    );
  }
}
