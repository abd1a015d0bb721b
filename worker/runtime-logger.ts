import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

/**
 * Routes the Temporal SDK's logs (worker, workflow and activity loggers) to one JSON line each on
 * stderr, at the given level. Call once per process, before creating a worker or connection.
 */
export function installJsonRuntimeLogger(level: LogLevel): void {
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: lvl, message, meta, timestampNanos }) => {
      const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
      process.stderr.write(`${JSON.stringify({ time, level: lvl.toLowerCase(), msg: message, ...meta })}\n`);
    }),
  });
}
