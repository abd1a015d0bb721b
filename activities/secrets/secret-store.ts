import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { SecretNotFoundError } from '../errors.js';

/** A reference to a secret by name (and optionally one key); pipeline files and workflow inputs carry only this. */
export interface SecretRef {
  name: string;
  key?: string;
}

/** One place secrets can come from; returns all keys of the named secret, or undefined when it has none by that name. */
export interface SecretSource {
  readonly description: string;
  lookup(name: string): Promise<Record<string, string> | undefined>;
}

/** Resolves secretRefs inside activities, trying each source in order; values never leave the worker. */
export class SecretStore {
  constructor(private readonly sources: SecretSource[]) {}

  /** Every key of the named secret. */
  async resolve(ref: SecretRef): Promise<Record<string, string>> {
    for (const source of this.sources) {
      const found = await source.lookup(ref.name);
      if (found) {
        if (ref.key !== undefined && !(ref.key in found)) {
          throw new SecretNotFoundError(
            `secret "${ref.name}" (from ${source.description}) has no key "${ref.key}"`,
          );
        }
        return found;
      }
    }
    const where = this.sources.map((s) => s.description).join(', ') || 'no secret sources configured';
    throw new SecretNotFoundError(`secret "${ref.name}" not found (looked in: ${where})`);
  }
}

/** Environment variables SLUICE_SECRET_<NAME>_<KEY> (name and key upper-cased, other characters as _). */
export function envSecretSource(env: NodeJS.ProcessEnv = process.env): SecretSource {
  const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    description: 'environment (SLUICE_SECRET_<NAME>_<KEY>)',
    async lookup(name) {
      const prefix = `SLUICE_SECRET_${norm(name)}_`;
      const entries = Object.entries(env).filter(([k, v]) => k.startsWith(prefix) && v !== undefined);
      if (entries.length === 0) return undefined;
      return Object.fromEntries(entries.map(([k, v]) => [k.slice(prefix.length).toLowerCase(), v as string]));
    },
  };
}

/** Files <dir>/<name>/<key>, the layout of a Kubernetes Secret mounted as a volume. */
export function fileSecretSource(dir: string): SecretSource {
  return {
    description: `files under ${dir}`,
    async lookup(name) {
      const folder = join(dir, name);
      if (!/^[a-zA-Z0-9._-]+$/.test(name) || !existsSync(folder)) return undefined;
      const keys = readdirSync(folder).filter((k) => !k.startsWith('.'));
      return Object.fromEntries(keys.map((k) => [k, readFileSync(join(folder, k), 'utf8').trim()]));
    },
  };
}

/** Kubernetes Secrets in Sluice's own namespace. */
export function kubernetesSecretSource(kubeconfig: KubeConfig, namespace: string): SecretSource {
  const api = kubeconfig.makeApiClient(CoreV1Api);
  return {
    description: `Kubernetes Secrets in namespace ${namespace}`,
    async lookup(name) {
      try {
        const secret = await api.readNamespacedSecret({ name, namespace });
        const data = secret.data ?? {};
        return Object.fromEntries(
          Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
        );
      } catch (err) {
        if ((err as { code?: number }).code === 404) return undefined;
        throw err;
      }
    },
  };
}
