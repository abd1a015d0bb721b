// Pushes minimal OCI images (a config blob and a manifest without layers) to the stack's registry with its
// HTTP API, Basic auth and the stack CA: enough for a tag to exist with a digest, no image tool needed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import type { RegistryServer } from './charts.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** Pushes `repository:tag` (e.g. "team/web", "1.2.0"); answers the manifest digest. */
export async function pushImageTag(server: RegistryServer, repository: string, tag: string): Promise<string> {
  const dispatcher = new Agent({ connect: { ca: readFileSync(server.caFile, 'utf8') } });
  const authorization = `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}`;
  const call = async (url: string, init: { method: string; body?: string; type?: string }) => {
    const res = await fetch(url, {
      method: init.method,
      dispatcher,
      headers: { authorization, ...(init.type ? { 'content-type': init.type } : {}) },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    if (!res.ok) throw new Error(`${init.method} ${url}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  // A config that differs per tag, so each tag has its own manifest digest.
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Labels: { tag } },
    rootfs: { type: 'layers', diff_ids: [] },
  });
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const upload = await call(`${server.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(upload.headers.get('location') ?? '', server.url);
  location.searchParams.set('digest', configDigest);
  await call(location.href, { method: 'PUT', body: config, type: 'application/octet-stream' });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: Buffer.byteLength(config),
    },
    layers: [],
  });
  await call(`${server.url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    type: OCI_MANIFEST,
  });
  await dispatcher.close();
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}
