// The root command's options: how to reach Temporal. Kept apart from the client so that `sluice --help`
// and commands that never talk to Temporal do not load it.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from './flags.js';

/** The global connection options every Temporal command accepts (flags, else SLUICE_TEMPORAL_* variables). */
export interface TemporalOptions {
  temporalAddress: string;
  namespace: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tlsServerName?: string;
  /** --tls true|false; unset: SLUICE_TEMPORAL_TLS, else on with an API key or a --tls-* option. */
  tls?: boolean;
  apiKey?: string;
  /** How long to wait for the frontend before giving up, in ms (--connect-timeout). */
  connectTimeout?: number;
}

/** "true" or "false", as SLUICE_TEMPORAL_TLS takes them. */
function parseTls(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidArgumentError('use true or false');
}

/** Adds the connection options to the root command; subcommands read them with optsWithGlobals(). */
export function addTemporalOptions(program: Command): Command {
  return program
    .addOption(
      new Option('--temporal-address <host:port>', 'Temporal frontend')
        .env('SLUICE_TEMPORAL_ADDRESS')
        .default('127.0.0.1:7233'),
    )
    .addOption(
      new Option('--namespace <name>', 'Temporal namespace')
        .env('SLUICE_TEMPORAL_NAMESPACE')
        .default('default'),
    )
    .addOption(
      new Option('--tls-cert <file>', 'client certificate (PEM) for mTLS').env('SLUICE_TEMPORAL_TLS_CERT'),
    )
    .addOption(
      new Option('--tls-key <file>', 'client private key (PEM) for mTLS').env('SLUICE_TEMPORAL_TLS_KEY'),
    )
    .addOption(
      new Option('--tls-ca <file>', 'CA certificate (PEM) that signed the server').env(
        'SLUICE_TEMPORAL_TLS_CA',
      ),
    )
    .addOption(
      new Option('--tls-server-name <name>', 'server name to verify, when not the address host').env(
        'SLUICE_TEMPORAL_TLS_SERVER_NAME',
      ),
    )
    .addOption(
      // Read by connectionOptions, not commander's .env(): an empty SLUICE_TEMPORAL_TLS means unset, as for the worker.
      new Option(
        '--tls <true|false>',
        'TLS to the frontend (default: on with --api-key or a --tls-* option) (env: SLUICE_TEMPORAL_TLS)',
      ).argParser(parseTls),
    )
    .addOption(
      new Option('--api-key <key>', 'Temporal Cloud API key (turns TLS on; never sent without TLS)').env(
        'SLUICE_TEMPORAL_API_KEY',
      ),
    )
    .addOption(
      // Short: a CLI that hangs is worse than one that says where it looked; raise it for a slow link.
      new Option('--connect-timeout <duration>', 'give up reaching Temporal after this long')
        .env('SLUICE_TEMPORAL_CONNECT_TIMEOUT')
        .argParser(parseDuration)
        .default(2000, '2s'),
    );
}
