import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { LogLevelName } from './logger.js';

/** Where the Temporal SDK serves its own Prometheus metrics (worker config `sdkMetrics`). */
export interface SdkMetricsListener {
  host: string;
  port: number;
}

/** The SDK's level for a pino level: the SDK filters first, pino again (they agree, so nothing is lost). */
function sdkLevel(level: LogLevelName): LogLevel {
  const map: Record<LogLevelName, LogLevel> = {
    trace: 'TRACE',
    debug: 'DEBUG',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    silent: 'ERROR',
  };
  return map[level];
}

/**
 * Installs the Temporal runtime once per process, before any worker or connection: its logs (the SDK's
 * own, Core's forwarded ones, and every workflow's and activity's `log`) go through the worker's pino
 * logger, one JSON line each with the same fields as the worker's lines; with `sdkMetrics`, Core serves
 * its metrics (task slots, poll and schedule-to-start latencies, sticky cache…) in Prometheus format there.
 */
export function installRuntime(logger: Logger, level: LogLevelName, sdkMetrics?: SdkMetricsListener): void {
  const lvl = sdkLevel(level);
  Runtime.install({
    logger: new DefaultLogger(lvl, ({ level: l, message, meta }) => {
      logger[l === 'TRACE' ? 'trace' : (l.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](
        meta ?? {},
        message,
      );
    }),
    telemetryOptions: {
      // Core's INFO is chatty (every poller start and stop): below debug it forwards warnings and errors only.
      logging: {
        forward: {},
        filter: { core: lvl === 'TRACE' || lvl === 'DEBUG' ? lvl : 'WARN', other: 'ERROR' },
      },
      ...(sdkMetrics
        ? {
            metrics: {
              prometheus: {
                bindAddress: `${sdkMetrics.host}:${sdkMetrics.port}`,
                // Prometheus conventions: seconds, and the unit and _total in the name.
                useSecondsForDurations: true,
                unitSuffix: true,
                countersTotalSuffix: true,
              },
            },
          }
        : {}),
    },
  });
}
