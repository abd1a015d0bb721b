import { type KubeConfig, KubernetesObjectApi, type V1APIResource } from '@kubernetes/client-node';
import type { NonRetryableErrorType } from '../../core/errors.js';

/** Raised when the cluster does not serve a kind (typically: its CRD is not installed). */
export class MissingKindError extends Error {
  override name = 'MissingKindError' satisfies NonRetryableErrorType;
}

/** The generic object client, plus discovery of whether a kind is namespaced. */
export class ObjectApi extends KubernetesObjectApi {
  /** Discovery requests in flight, by apiVersion: the first caller fetches, the others wait for its answer. */
  private readonly discovering = new Map<string, Promise<unknown>>();

  /** Builds one for a kubeconfig (rate limits and pooling are the kubeconfig's), defaulting the namespace from its context. */
  static fromConfig(kc: KubeConfig): ObjectApi {
    const api = kc.makeApiClient(ObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  /**
   * client-node's cached discovery lookup, single-flight: a first sync of a hundred applications asks for
   * `apps/v1` once, not a hundred times at once (a burst that also got connections closed under it).
   */
  override async resource(
    apiVersion: string,
    kind: string,
    ...rest: unknown[]
  ): Promise<V1APIResource | undefined> {
    for (let pending = this.discovering.get(apiVersion); pending; pending = this.discovering.get(apiVersion))
      await pending.catch(() => undefined);
    const lookup = (super.resource as (...a: unknown[]) => Promise<V1APIResource | undefined>).call(
      this,
      apiVersion,
      kind,
      ...rest,
    );
    this.discovering.set(apiVersion, lookup);
    try {
      return await lookup;
    } finally {
      if (this.discovering.get(apiVersion) === lookup) this.discovering.delete(apiVersion);
    }
  }

  /** Whether apiVersion/kind is namespaced; MissingKindError when the cluster does not serve it. */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.servedResource(apiVersion, kind)).namespaced;
  }

  /** The discovery entry of apiVersion/kind (plural name, scope), cached; MissingKindError when not served. */
  async servedResource(apiVersion: string, kind: string): Promise<V1APIResource> {
    const resource = await this.resource(apiVersion, kind).catch((err: Error) => {
      if (/404|not found/i.test(err.message)) return undefined;
      throw err;
    });
    if (!resource) {
      throw new MissingKindError(
        `the cluster does not serve ${kind} in ${apiVersion}: is its CustomResourceDefinition installed?`,
      );
    }
    return resource;
  }
}
