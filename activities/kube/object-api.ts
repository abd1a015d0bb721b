import {
  type Configuration,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type RequestContext,
} from '@kubernetes/client-node';
import type { NonRetryableErrorType } from '../../core/errors.js';
import { RateLimiter } from './rate-limiter.js';

/** Raised when the cluster does not serve a kind (typically: its CRD is not installed). */
export class MissingKindError extends Error {
  override name = 'MissingKindError' satisfies NonRetryableErrorType;
}

/** The generic object client, plus discovery of whether a kind is namespaced. */
export class ObjectApi extends KubernetesObjectApi {
  private limiter?: RateLimiter;

  /** Builds one for a kubeconfig, defaulting the namespace from its current context, optionally rate-limited. */
  static fromConfig(kc: KubeConfig, limits?: { qps: number; burst: number }): ObjectApi {
    const api = kc.makeApiClient(ObjectApi);
    api.setDefaultNamespace(kc);
    if (limits) api.limiter = new RateLimiter(limits.qps, limits.burst);
    return api;
  }

  // Every call of this client goes through here: the one place to apply the QPS limit.
  protected override async requestPromise<T extends KubernetesObject>(
    requestContext: RequestContext,
    type?: string,
    options?: Configuration,
  ): Promise<T> {
    await this.limiter?.take();
    return super.requestPromise<T>(requestContext, type, options);
  }

  /** Whether apiVersion/kind is namespaced; MissingKindError when the cluster does not serve it. */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    const resource = await this.resource(apiVersion, kind).catch((err: Error) => {
      if (/404|not found/i.test(err.message)) return undefined;
      throw err;
    });
    if (!resource) {
      throw new MissingKindError(
        `the cluster does not serve ${kind} in ${apiVersion}: is its CustomResourceDefinition installed?`,
      );
    }
    return resource.namespaced;
  }
}
