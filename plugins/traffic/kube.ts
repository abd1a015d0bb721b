import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { MissingKindError, type ObjectApi } from '../../activities/kube/object-api.js';

/**
 * Field manager of the traffic providers' server-side applies. Each apply carries only the fields a provider
 * owns, so force takes those (weights, matches) back from anyone who edited them and leaves every other
 * field (the user's labels, annotations, retries, trafficPolicy, ...) to its owner.
 */
export const TRAFFIC_FIELD_MANAGER = 'sluice-traffic';

/** Label on the objects a provider creates, naming the Rollout (the same label the rollout machinery uses). */
export const ROLLOUT_LABEL = 'sluice.dev/rollout';

/** Server-side applies the fields of obj that Sluice owns; answers the object as the API server holds it. */
export function applyOwned<T extends KubernetesObject>(objects: ObjectApi, obj: T): Promise<T> {
  return objects.patch(obj, undefined, undefined, TRAFFIC_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** Reads an object; undefined when it does not exist. */
export async function readObject<T extends KubernetesObject>(
  objects: ObjectApi,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<T | undefined> {
  try {
    return (await objects.read({ apiVersion, kind, metadata: { name, namespace } })) as T;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/** Deletes an object; a missing one is fine (idempotent). */
export async function deleteObject(
  objects: ObjectApi,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<void> {
  try {
    // Background: the API's default for a batch/v1 Job orphans its pods.
    await objects.delete(
      { apiVersion, kind, metadata: { name, namespace } },
      undefined,
      undefined,
      undefined,
      undefined,
      'Background',
    );
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

/** Where a provider's kind comes from, for the error that tells which CRD to install. */
export interface KindSource {
  group: string;
  kind: string;
  /** Versions the provider can write, most preferred first. */
  versions: string[];
  /** The CustomResourceDefinition's name and where it usually comes from. */
  crd: string;
}

/** The first of source.versions the cluster serves, as an apiVersion; MissingKindError naming the CRD when none is. */
export async function servedApiVersion(objects: ObjectApi, source: KindSource): Promise<string> {
  for (const version of source.versions) {
    const apiVersion = `${source.group}/${version}`;
    try {
      await objects.isNamespaced(apiVersion, source.kind);
      return apiVersion;
    } catch (err) {
      if (!(err instanceof MissingKindError)) throw err;
    }
  }
  throw new MissingKindError(
    `the cluster does not serve ${source.kind} (${source.group} ${source.versions.join(', ')}): install the CustomResourceDefinition ${source.crd}`,
  );
}
