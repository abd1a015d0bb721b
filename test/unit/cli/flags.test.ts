import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  parseAppName,
  parseDuration,
  parsePipelineName,
  parsePositiveInt,
  parseRolloutTarget,
} from '../../../cli/flags.js';
import { buildProgram } from '../../../cli/program.js';

describe('command-line values', () => {
  it('reads durations with a unit and refuses bare numbers, zero and junk', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(() => parseDuration('1000')).toThrow(/no unit: write 1000s or 1000ms/);
    expect(() => parseDuration('0s')).toThrow(/longer than 0/);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('reads positive integers only', () => {
    expect(parsePositiveInt('50')).toBe(50);
    for (const bad of ['0', '-1', '1.5', '1e3', '', 'x']) expect(() => parsePositiveInt(bad)).toThrow();
  });

  it('checks names before anything connects', () => {
    expect(parseAppName('web')).toBe('web');
    expect(parseAppName('shop/web')).toBe('shop/web');
    expect(() => parseAppName('Web')).toThrow(/not an application name/);
    expect(() => parseAppName("x' OR 1=1")).toThrow(/not an application name/);
    expect(() => parseAppName('a b/web')).toThrow(/not a repository id/);
    expect(parseRolloutTarget('rollout/web/abc1234')).toBe('rollout/web/abc1234');
    expect(() => parseRolloutTarget('rollout/we b')).toThrow(/not a rollout workflow ID/);
    expect(() => parsePipelineName('Promote')).toThrow(/not a Pipeline name/);
  });

  it('gives every duration flag of every command the one duration parser', async () => {
    const options: [string, Option][] = [];
    const walk = (c: Command, path: string) => {
      for (const o of c.options) options.push([`${path} ${o.flags}`, o]);
      for (const s of c.commands) walk(s, `${path} ${s.name()}`);
    };
    walk(await buildProgram(), 'sluice');
    const durations = options.filter(
      ([, o]) =>
        /<duration>/.test(o.flags) || /^--(interval|timeout|ttl|.*-timeout|.*-interval)$/.test(o.long ?? ''),
    );
    expect(durations.map(([p]) => p)).toEqual(
      expect.arrayContaining([
        'sluice --connect-timeout <duration>',
        'sluice app wait --timeout <duration>',
        'sluice rollout watch --interval <duration>',
      ]),
    );
    for (const [path, o] of durations) {
      expect(o.flags, path).toMatch(/<duration>/);
      // A parser that refuses a bare number is the shared one (or --poll-interval's, which keeps the text).
      expect(() => (o as unknown as { parseArg: (v: string) => unknown }).parseArg?.('10'), path).toThrow(
        /no unit/,
      );
    }
  });
});
