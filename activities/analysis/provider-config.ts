import type { Caller } from '../../core/identity.js';
import type { MetricProviderConfig } from '../../plugins/metrics/types.js';
import type { MetricProvider as ProviderSpec } from '../../schemas/types.generated.js';
import type { SecretAccess } from '../trust/secret-access.js';

/** A check cannot get its provider's settings (no address anywhere, a secret without the key). */
export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError' as const;
}

/**
 * A MetricTemplate's provider settings with its secret resolved. The secret holds either `username`
 * and `password` (Basic auth, as Flagger's Prometheus secrets do) or, under secretRef.key, a bearer token.
 */
export async function resolveProviderConfig(
  spec: ProviderSpec,
  secrets: SecretAccess,
  caller: Caller,
  defaultAddress: string | undefined,
): Promise<MetricProviderConfig> {
  const address = spec.address ?? defaultAddress;
  if (!address)
    throw new ProviderConfigError(
      `no address for the ${spec.type} provider: set provider.address in the MetricTemplate or configure the worker's default Prometheus`,
    );
  const config: MetricProviderConfig = { type: spec.type, address };
  if (!spec.secretRef) return config;
  const secret = await secrets.resolve(spec.secretRef, { caller, sendTo: address });
  if (secret.username !== undefined && secret.password !== undefined)
    config.credentials = { basic: { username: secret.username, password: secret.password } };
  else config.credentials = { bearerToken: secret[spec.secretRef.key] };
  return config;
}
