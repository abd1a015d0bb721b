import { describe, expect, it } from 'vitest';
import { createLogger, logFn } from '../../../worker/logger.js';

/** A logger at `level` and the JSON lines it wrote. */
function capture(level: Parameters<typeof createLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

describe('worker logger', () => {
  it('writes the fields tools read: ISO time, the level as a label, msg, and the entry fields', () => {
    const { logger, lines } = capture('info');
    logFn(logger)('info', 'worker started', { taskQueue: 'sluice' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'worker started', taskQueue: 'sluice' });
    expect(new Date(lines[0]?.time as string).toISOString()).toBe(lines[0]?.time);
  });

  it('drops lines below its level', () => {
    const { logger, lines } = capture('warn');
    const log = logFn(logger);
    log('info', 'not shown');
    log('debug', 'not shown either');
    log('warn', 'shown');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'shown']]);
  });

  it('redacts secret-bearing fields at the top and one level down', () => {
    const { logger, lines } = capture('info');
    logFn(logger)('info', 'connecting', {
      apiKey: 'k-123',
      temporal: { address: 'x:7233', apiKey: 'k-456' },
      request: { headers: { authorization: 'Bearer t', accept: 'json' } },
      webhook: { token: 'xoxb-1', url: 'http://hook' },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['k-123', 'k-456', 'Bearer t', 'xoxb-1']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      apiKey: '[redacted]',
      temporal: { address: 'x:7233', apiKey: '[redacted]' },
      request: { headers: { authorization: '[redacted]', accept: 'json' } },
      webhook: { token: '[redacted]', url: 'http://hook' },
    });
  });

  it('serializes an Error passed as `error` (how the Temporal SDK passes them) with its message', () => {
    const { logger, lines } = capture('info');
    logger.error({ error: new TypeError('boom') }, 'activity failed');
    expect(lines[0]).toMatchObject({ level: 'error', error: { type: 'TypeError', message: 'boom' } });
  });
});
