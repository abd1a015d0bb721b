// `--provider` and `--config` of `sluice validate` and `sluice convert`: the traffic provider a Rollout or
// Flagger Canary without spec.provider gets, as the worker would give it (its config's rollouts.defaultProvider).
import { type Command, Option } from 'commander';
import {
  isTrafficProviderName,
  type TrafficProviderName,
  trafficProviderNames,
} from '../core/traffic/providers.js';
import { loadWorkerConfig, WorkerConfigError } from '../worker/config.js';
import { CliError, ExitCode } from './errors.js';

/** Adds --provider and --config to a command. */
export function withDefaultProviderOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--provider <name>',
        'traffic provider of Rollouts and Flagger Canaries that name none (as the worker config rollouts.defaultProvider)',
      ).choices(trafficProviderNames()),
    )
    .addOption(
      new Option(
        '--config <file>',
        'worker config file to read rollouts.defaultProvider from (--provider wins)',
      ),
    );
}

/** The default provider the options name: --provider, else the worker config's, else none (kubernetes). */
export function defaultProviderFrom(opts: {
  provider?: string;
  config?: string;
}): TrafficProviderName | undefined {
  if (opts.provider !== undefined) {
    if (!isTrafficProviderName(opts.provider))
      throw new CliError(`unknown provider ${JSON.stringify(opts.provider)}`, undefined, ExitCode.usage);
    return opts.provider;
  }
  if (opts.config === undefined) return undefined;
  try {
    // Only the file: an environment override of the worker must not change what a file validates as.
    return loadWorkerConfig(opts.config, {}).rollouts.defaultProvider;
  } catch (err) {
    if (err instanceof WorkerConfigError || (err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`--config ${opts.config}: ${(err as Error).message}`, undefined, ExitCode.usage);
    throw err;
  }
}
