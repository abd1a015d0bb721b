import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { Command } from 'commander';
import { CliError, ExitCode } from './errors.js';
import type { TemporalOptions } from './global-options.js';

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new CliError(`cannot read the ${what} ${file}`, 'check the path given to --tls-*', ExitCode.usage);
  }
}

/** --tls, else SLUICE_TEMPORAL_TLS (empty = unset), as true / false / undefined. */
function tlsSetting(o: TemporalOptions, env: NodeJS.ProcessEnv): boolean | undefined {
  if (o.tls !== undefined) return o.tls;
  const v = env.SLUICE_TEMPORAL_TLS?.toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new CliError(
    `SLUICE_TEMPORAL_TLS must be true or false, not ${JSON.stringify(v)}`,
    undefined,
    ExitCode.usage,
  );
}

/**
 * Connection options from the global flags: TLS when a certificate, CA or API key is given or --tls true,
 * none with --tls false (SLUICE_TEMPORAL_TLS=false) — which an API key refuses: it is never sent in the clear.
 */
export function connectionOptions(
  o: TemporalOptions,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionOptions {
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey))
    throw new CliError('--tls-cert and --tls-key go together', 'give both, or neither', ExitCode.usage);
  const setting = tlsSetting(o, env);
  if (setting === false && o.apiKey)
    throw new CliError(
      `an API key is never sent without TLS, and TLS is off (${o.tls === false ? '--tls false' : 'SLUICE_TEMPORAL_TLS=false'})`,
      'leave TLS on (an API key turns it on): Temporal Cloud and any frontend that checks API keys need TLS',
      ExitCode.usage,
    );
  const tls =
    setting === false
      ? undefined
      : o.tlsCert || o.tlsCa || o.tlsServerName
        ? {
            ...(o.tlsCert && o.tlsKey
              ? {
                  clientCertPair: {
                    crt: readPem(o.tlsCert, 'client certificate'),
                    key: readPem(o.tlsKey, 'client key'),
                  },
                }
              : {}),
            ...(o.tlsCa ? { serverRootCACertificate: readPem(o.tlsCa, 'CA certificate') } : {}),
            ...(o.tlsServerName ? { serverNameOverride: o.tlsServerName } : {}),
          }
        : o.apiKey || setting
          ? true
          : undefined;
  return {
    address: o.temporalAddress,
    ...(tls ? { tls } : {}),
    ...(o.apiKey ? { apiKey: o.apiKey } : {}),
    connectTimeout: o.connectTimeout ?? 2000,
  };
}

/** The error for a frontend that did not answer: where we looked, for how long, and what to check. */
export function unreachable(o: TemporalOptions, err: unknown): CliError {
  const why = (err as Error).message.split('\n')[0]?.replace(/^.*transport error:?\s*/i, '') || 'no answer';
  const seconds = (o.connectTimeout ?? 2000) / 1000;
  return new CliError(
    `cannot reach Temporal at ${o.temporalAddress} (namespace ${o.namespace}) within ${seconds}s: ${why}`,
    [
      'is it running? `sluice dev status` shows the local stack (`sluice dev up` starts it);',
      'elsewhere, give the frontend with --temporal-address or SLUICE_TEMPORAL_ADDRESS',
      `(TLS: --tls / --tls-ca; Temporal Cloud: --api-key); a slow link: --connect-timeout ${Math.max(10, seconds * 5)}s`,
    ].join(' '),
  );
}

/** Connects to Temporal with the command's global options, runs fn, and closes the connection. */
export async function withClient<T>(cmd: Command, fn: (client: Client) => Promise<T>): Promise<T> {
  const o = cmd.optsWithGlobals<TemporalOptions>();
  let connection: Connection;
  try {
    connection = await Connection.connect(connectionOptions(o));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw unreachable(o, err);
  }
  try {
    return await fn(new Client({ connection, namespace: o.namespace }));
  } finally {
    await connection.close();
  }
}
