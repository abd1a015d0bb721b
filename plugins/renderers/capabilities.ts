// What a destination cluster serves, as Helm's .Capabilities sees it: the API server's version and its
// group/versions (and group/version/Kind, as Argo CD passes them). Built by the worker from the API
// server's discovery answer, never from pipeline files; checked again before they reach helm's command line.

/** The destination cluster's version and served API versions, for `helm template --kube-version/--api-versions`. */
export interface ClusterCapabilities {
  /** The API server's gitVersion, e.g. "v1.34.4". */
  kubeVersion: string;
  /** Served "group/version" (or "v1"), and "group/version/Kind" for each kind, sorted. */
  apiVersions: string[];
}

/** A Kubernetes version as helm's --kube-version parses it (semver with an optional leading v). */
export const kubeVersionPattern = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

/** "v1", "apps/v1", "apps/v1/Deployment": DNS-name group, version, Kind; nothing a flag or separator could hide in. */
export const apiVersionPattern =
  /^(?:[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9][0-9a-z]*(?:\/[A-Za-z][A-Za-z0-9]*)?$/;

/** Whether a discovery answer is fit for helm's command line; what is not is left out by discovery. */
export function validCapabilities(c: ClusterCapabilities): boolean {
  return kubeVersionPattern.test(c.kubeVersion) && c.apiVersions.every((v) => apiVersionPattern.test(v));
}
