import { type KubeConfig, KubernetesObjectApi, type V1APIResource } from '@kubernetes/client-node';
import type { NonRetryableErrorType } from '../../core/errors.js';

/** Raised when the cluster does not serve a kind (typically: its CRD is not installed). */
export class MissingKindError extends Error {
  override name = 'MissingKindError' satisfies NonRetryableErrorType;
}

/** The generic object client, plus discovery of whether a kind is namespaced. */
export class ObjectApi extends KubernetesObjectApi {
  /** Builds one for a kubeconfig (rate limits and pooling are the kubeconfig's), defaulting the namespace from its context. */
  static fromConfig(kc: KubeConfig): ObjectApi {
    const api = kc.makeApiClient(ObjectApi);
    api.setDefaultNamespace(kc);
    return api;
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
