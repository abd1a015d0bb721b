import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

/** Deletes namespaces (missing ones are fine) and waits until they are gone, at most `waitMs`. */
export async function deleteNamespaces(kubeconfig: string, names: string[], waitMs: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const missing = (err: unknown) => {
    if ((err as { code?: number }).code !== 404) throw err;
    return undefined;
  };
  await Promise.all(names.map((name) => core.deleteNamespace({ name }).catch(missing)));
  const deadline = Date.now() + waitMs;
  for (const name of names) {
    while (Date.now() < deadline && (await core.readNamespace({ name }).catch(missing))) {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
