import { loadStackConfig } from '../../../scripts/stack/config.js';

/**
 * Compacts the stack's etcd up to its current revision (etcd's v3 JSON gateway), as the API server does every few
 * minutes on its own: every resourceVersion before now is then gone, and a watch resumed from one gets 410 Gone.
 * A young stack may not have compacted yet, so tests that need a real 410 compact first.
 */
export async function compactEtcd(): Promise<number> {
  const config = loadStackConfig();
  const base = `http://127.0.0.1:${config.ports.etcdClient}/v3/kv`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { header?: { revision?: string } };
  };
  const revision = Number(
    (await post('range', { key: Buffer.from('/').toString('base64') })).header?.revision,
  );
  if (!Number.isInteger(revision) || revision < 1) throw new Error(`etcd answered no revision (${revision})`);
  await post('compaction', { revision: String(revision), physical: true });
  return revision;
}
