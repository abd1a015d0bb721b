import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from './config.js';

/** Options both `NativeConnection.connect` (worker) and `Connection.connect` (client) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`temporal.tls.${what} ${path}: ${(err as Error).message}`);
  }
}

/** Reads the configured PEM files (and API key file) and returns the connection options for the worker and the client alike. */
export function temporalConnectionOptions(config: TemporalConfig): TemporalConnectionOptions {
  const t = config.tls;
  const tls: TLSConfig | undefined = t && {
    ...(t.serverName ? { serverNameOverride: t.serverName } : {}),
    ...(t.caFile ? { serverRootCACertificate: readPem(t.caFile, 'caFile') } : {}),
    ...(t.certFile && t.keyFile
      ? { clientCertPair: { crt: readPem(t.certFile, 'certFile'), key: readPem(t.keyFile, 'keyFile') } }
      : {}),
  };
  const apiKey =
    config.apiKey ?? (config.apiKeyFile ? readFileSync(config.apiKeyFile, 'utf8').trim() : undefined);
  if (config.apiKeyFile && !apiKey) throw new Error(`temporal.apiKeyFile ${config.apiKeyFile} is empty`);
  // loadWorkerConfig refuses this already; a config built another way must not send the key in the clear either.
  if (apiKey && !tls)
    throw new Error(
      'temporal: an API key is never sent without TLS: turn TLS on (temporal.tls, or leave it unset with an API key)',
    );
  return {
    address: config.address,
    ...(tls ? { tls } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}
