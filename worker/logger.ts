import { type DestinationStream, type Logger, pino } from 'pino';

/** The levels `--log-level` and the config's `logLevel` accept, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;

/** One of LOG_LEVELS. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The worker's plain logging function, which live caches, the webhook receiver and the worker itself call. */
export type LogFn = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/**
 * Field paths pino replaces with "[redacted]" wherever they appear at the top of a line or one level down:
 * credentials the worker holds (API keys, tokens, passwords, HMAC and webhook secrets, Authorization headers).
 * A field is never logged on purpose with a secret in it; this is the net under that rule.
 */
export const REDACTED_PATHS = [
  'apiKey',
  'token',
  'password',
  'secret',
  'webhookSecret',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.webhookSecret',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

/**
 * The worker's one logger: a JSON line per entry on stdout with `time` (ISO 8601), `level` as a label
 * ("info", not 30), `msg`, `pid`, `hostname` and the entry's fields. Writes synchronously, so the last
 * lines before an exit are not lost.
 */
export function createLogger(level: LogLevelName = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The Temporal SDK passes errors as `error`; pino serializes only `err` by default.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A LogFn writing through a pino logger (fields first, as pino takes them). */
export function logFn(logger: Logger): LogFn {
  return (level, msg, fields) => logger[level](fields ?? {}, msg);
}
