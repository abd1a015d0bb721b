// ConfigMaps and Secrets a render reads from the destination namespace of the destination cluster: Helm
// valuesFrom and Flux's postBuild.substituteFrom. There is no namespace field: a pipeline file can make the
// worker read only its own destination namespace, which its Project must allow.

import type { CoreV1Api } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { checkVariableNames } from '../../core/sync/post-build.js';
import { RenderError } from '../../plugins/renderers/renderer.js';
import type { PostBuild, ValuesReference } from '../../schemas/types.generated.js';

/** The string data of a ConfigMap or Secret in the destination namespace, or undefined when it does not exist. */
export type ReadObjectData = (
  kind: 'ConfigMap' | 'Secret',
  name: string,
) => Promise<Record<string, string> | undefined>;

/** Reads ConfigMaps and Secrets of one namespace; a Secret's values are base64-decoded. */
export function namespaceData(core: CoreV1Api, namespace: string): ReadObjectData {
  return async (kind, name) => {
    try {
      if (kind === 'ConfigMap') return (await core.readNamespacedConfigMap({ namespace, name })).data ?? {};
      const data = (await core.readNamespacedSecret({ namespace, name })).data ?? {};
      return Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  };
}

/** Helm values layers from valuesFrom, in order (Flux HelmRelease semantics); never echoes a value. field names the list in messages. */
export async function valuesFromLayers(
  refs: ValuesReference[],
  read: ReadObjectData,
  namespace: string,
  field = 'render.valuesFrom',
): Promise<Record<string, unknown>[]> {
  const layers: Record<string, unknown>[] = [];
  for (const [i, ref] of refs.entries()) {
    const key = ref.valuesKey ?? 'values.yaml';
    const what = `${field}[${i}]: ${ref.kind} ${namespace}/${ref.name}`;
    const data = await read(ref.kind, ref.name);
    if (data === undefined || !(key in data)) {
      if (ref.optional) continue;
      throw new RenderError(
        data === undefined
          ? `${what} does not exist (create it, or set optional: true)`
          : `${what} has no key "${key}" (set valuesKey, or optional: true)`,
      );
    }
    const text = data[key] ?? '';
    if (ref.targetPath) {
      layers.push(atPath(ref.targetPath, text));
      continue;
    }
    let values: unknown;
    try {
      values = parse(text, { maxAliasCount: 100 });
    } catch {
      // The parser quotes the text, which may be a Secret's: say where, not what.
      throw new RenderError(`${what} key "${key}" is not valid YAML`);
    }
    if (values === null || values === undefined) continue;
    if (typeof values !== 'object' || Array.isArray(values))
      throw new RenderError(`${what} key "${key}" is not a YAML map of values`);
    layers.push(values as Record<string, unknown>);
  }
  return layers;
}

/** A values object holding value as a string at a dotted path ('\.' escapes a dot in a key), as Flux's targetPath. */
export function atPath(path: string, value: string): Record<string, unknown> {
  const keys = path.split(/(?<!\\)\./).map((k) => k.replaceAll('\\.', '.'));
  let out: unknown = value;
  for (const k of keys.reverse()) out = { [k]: out };
  return out as Record<string, unknown>;
}

/** Postbuild variables: substituteFrom objects in order, later ones winning, then the inline substitute map. */
export async function postBuildVariables(
  postBuild: PostBuild,
  read: ReadObjectData,
  namespace: string,
): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  for (const [i, ref] of (postBuild.substituteFrom ?? []).entries()) {
    const what = `postBuild.substituteFrom[${i}]: ${ref.kind} ${namespace}/${ref.name}`;
    const data = await read(ref.kind, ref.name);
    if (data === undefined) {
      if (ref.optional) continue;
      throw new RenderError(`${what} does not exist (create it, or set optional: true)`);
    }
    names(Object.keys(data), what);
    for (const [k, v] of Object.entries(data)) vars.set(k, v);
  }
  const inline = postBuild.substitute ?? {};
  names(Object.keys(inline), 'postBuild.substitute');
  for (const [k, v] of Object.entries(inline)) if (v !== undefined) vars.set(k, v);
  return vars;
}

// A bad variable name fails the render (a RenderError is not retried), naming the source and the key.
function names(keys: string[], source: string): void {
  try {
    checkVariableNames(keys, source);
  } catch (e) {
    throw new RenderError((e as Error).message);
  }
}
