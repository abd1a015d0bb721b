import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../kube/apply.js';
import { MissingKindError, type ObjectApi } from '../kube/object-api.js';

/**
 * What the live object would become if `obj` were applied now: a server-side apply with
 * `dryRun: All` as field manager `sluice`, forced, exactly as the sync applies it (so the server adds
 * its defaults and drops fields `sluice` no longer declares). Undefined when it cannot be predicted
 * because the namespace or the kind does not exist yet (the object is then Missing); other errors
 * propagate.
 */
export async function predictApply(
  api: ObjectApi,
  obj: KubernetesObject,
): Promise<KubernetesObject | undefined> {
  try {
    // Asks discovery first (cached by the client) so a kind whose CRD is not installed yet is told
    // apart from a real failure; the client would only say so in an untyped Error's message.
    await api.isNamespaced(obj.apiVersion ?? '', obj.kind ?? '');
    // A copy: the client fills in a default namespace on the object it is given.
    const copy = { ...obj, metadata: { ...obj.metadata } };
    return await api.patch(copy, undefined, 'All', FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (err) {
    if (err instanceof MissingKindError || (err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}
