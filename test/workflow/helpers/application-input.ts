import type { ApplicationInput } from '../../../workflows/application/state.js';

/** An automated Application `web` syncing `shop` from a Git source; the test drives refreshes by signal. */
export function applicationInput(syncPolicy: Record<string, unknown> = {}): ApplicationInput {
  return {
    desired: {
      repoId: 'repo',
      name: 'web',
      project: 'default',
      revision: 'f'.repeat(40),
      source: 'apps/web.yaml:1',
      spec: {
        project: 'default',
        source: { repoURL: 'http://127.0.0.1:9/web.git', targetRevision: 'main', path: 'deploy' },
        destination: { namespace: 'shop' },
        syncPolicy: { automated: { prune: true }, ...syncPolicy },
      },
    },
    // Only the test's refresh signals make it look again.
    refreshInterval: '1h',
  };
}

/** A commit SHA made of one repeated hex digit. */
export const sha = (digit: string) => digit.repeat(40);
