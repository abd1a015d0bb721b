// The destination cluster's capabilities for helm (.Capabilities.KubeVersion and .APIVersions), read from
// the API server's discovery and kept for a minute, so a burst of renders asks once and an upgraded
// cluster is seen within a minute (its new version changes every helm render's key, so they render again).
import {
  ApisApi,
  CoreApi,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1APIResourceList,
  VersionApi,
} from '@kubernetes/client-node';
import {
  apiVersionPattern,
  type ClusterCapabilities,
  kubeVersionPattern,
} from '../../plugins/renderers/capabilities.js';

/** How long a discovery answer is used before it is asked again. */
export const CAPABILITIES_TTL_MS = 60_000;

/** The API server's version and every served group/version and group/version/Kind (subresources left out). */
export async function discoverCapabilities(kc: KubeConfig): Promise<ClusterCapabilities> {
  const version = await kc.makeApiClient(VersionApi).getCode();
  if (!kubeVersionPattern.test(version.gitVersion))
    throw new Error(`the API server answered version ${JSON.stringify(version.gitVersion)}, not a semver`);
  const core = await kc.makeApiClient(CoreApi).getAPIVersions();
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  const groupVersions = [
    ...core.versions,
    ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion)),
  ];
  const coreV1 = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const lists = await Promise.all(
    groupVersions.map(async (gv): Promise<V1APIResourceList | undefined> => {
      const [group, v] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
      // An aggregated API that is down (metrics-server, say) still counts as served, as kubectl and helm
      // treat a partial discovery failure: its kinds are left out until it answers.
      return (group === '' ? coreV1.getAPIResources() : custom.getAPIResources({ group, version: v })).catch(
        () => undefined,
      );
    }),
  );
  const out = new Set<string>();
  for (const [i, gv] of groupVersions.entries()) {
    out.add(gv);
    for (const r of lists[i]?.resources ?? []) if (!r.name.includes('/')) out.add(`${gv}/${r.kind}`);
  }
  // Only what helm can take as an option value; a name outside Kubernetes' own rules is dropped.
  return {
    kubeVersion: version.gitVersion,
    apiVersions: [...out].filter((v) => apiVersionPattern.test(v)).sort(),
  };
}

/** A loader whose answer is reused for ttlMs; one request in flight at a time; a failure is not kept. */
export function cachedFor<T>(load: () => Promise<T>, ttlMs: number, now = Date.now): () => Promise<T> {
  let kept: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (kept && now() - kept.at < ttlMs) return kept.value;
    const value = load();
    const entry = { at: now(), value };
    kept = entry;
    value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return value;
  };
}
