// The parameters generators yield, named as Argo CD's ApplicationSet generators name them.

/** One parameter set: flat names ("path.basename", "values.replicas") to string values. */
export type Params = Record<string, string>;

/** A name Kubernetes accepts as a DNS label: lowercase, every other character a dash (Argo CD's *Normalized). */
export function normalized(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Flattens nested objects and lists with dots ("a.b", "list.0"), as Argo CD's flat parameters do. */
export function flatten(value: unknown, prefix = '', out: Params = {}): Params {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = value === null || value === undefined ? '' : String(value);
  return out;
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The segments of a path as path[0], path[1]…. */
function segments(path: string): Params {
  return Object.fromEntries(path.split('/').map((s, i) => [`path[${i}]`, s]));
}

/** A Git directory generator's parameters for one folder. */
export function directoryParams(dir: string): Params {
  const base = basename(dir);
  return { path: dir, 'path.basename': base, 'path.basenameNormalized': normalized(base), ...segments(dir) };
}

/** A Git file generator's path parameters for one file: path is its folder, as in Argo CD. */
export function fileParams(file: string): Params {
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '' : file.slice(0, slash);
  const name = basename(file);
  return {
    ...(dir ? directoryParams(dir) : { path: '', 'path.basename': '', 'path.basenameNormalized': '' }),
    'path.filename': name,
    'path.filenameNormalized': normalized(name),
  };
}

/** A cluster generator's parameters for one cluster. */
export function clusterParams(cluster: { name: string; labels?: Record<string, string> }): Params {
  const labels = Object.entries(cluster.labels ?? {}).map(([k, v]) => [`metadata.labels.${k}`, v]);
  return { name: cluster.name, nameNormalized: normalized(cluster.name), ...Object.fromEntries(labels) };
}
