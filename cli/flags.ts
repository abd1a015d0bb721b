// One parser per kind of command-line value, so every duration flag reads "2s", "5m" or "1h30m" the same way
// and a bad value is a usage error (exit 2) naming the flag before anything connects.
import { InvalidArgumentError, Option } from 'commander';
import { durationMs } from '../workflows/shared/duration.js';

/** A duration flag's value in milliseconds: "250ms", "2s", "5m", "1h30m"; a bare number is refused (seconds or ms?). */
export function parseDuration(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value))
    throw new InvalidArgumentError(`"${value}" has no unit: write ${value}s or ${value}ms (or 1m, 1h30m)`);
  let ms: number;
  try {
    ms = durationMs(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  if (ms <= 0) throw new InvalidArgumentError('must be longer than 0');
  return ms;
}

/** A duration option parsed to milliseconds; the default is written as a duration ("1s") in --help. */
export function durationOption(flags: string, description: string, defaultValue?: string): Option {
  const option = new Option(flags, description).argParser(parseDuration);
  return defaultValue === undefined ? option : option.default(parseDuration(defaultValue), defaultValue);
}

/** Milliseconds as the shortest duration text: 300000 → "5m", 90000 → "1m30s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let left = Math.round(ms);
  let text = '';
  for (const [unit, size] of units) {
    const n = Math.floor(left / size);
    if (n > 0) text += `${n}${unit}`;
    left -= n * size;
  }
  return text || '0s';
}

/** A positive whole number (--limit, --max-file-bytes). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const NAME = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;
const REPO_ID = /^[\w.-]+$/;

/** Whether text is a valid Application / Pipeline name (a lower-case DNS name, safe in a visibility query). */
export const isName = (text: string): boolean => NAME.test(text) && text.length <= 253;

/** Whether text is a repository id from the worker config. */
export const isRepoId = (text: string): boolean => REPO_ID.test(text);

/** An application argument: NAME or REPO/NAME, checked before connecting. */
export function parseAppName(value: string): string {
  const slash = value.indexOf('/');
  const [repo, name] = slash >= 0 ? [value.slice(0, slash), value.slice(slash + 1)] : [undefined, value];
  if (repo !== undefined && !isRepoId(repo))
    throw new InvalidArgumentError(`"${repo}" is not a repository id (letters, digits, ".", "_", "-")`);
  if (!isName(name))
    throw new InvalidArgumentError(`"${name}" is not an application name (a lower-case DNS name)`);
  return value;
}

/** An application name without a repository (rollout list --app). */
export function parseAppNameOnly(value: string): string {
  if (!isName(value))
    throw new InvalidArgumentError(`"${value}" is not an application name (a lower-case DNS name)`);
  return value;
}

/** A rollout argument: an application (NAME or REPO/NAME) or a rollout workflow ID rollout/…. */
export function parseRolloutTarget(value: string): string {
  if (value.startsWith('rollout/')) {
    if (!/^rollout\/[\w./-]+$/.test(value))
      throw new InvalidArgumentError(`"${value}" is not a rollout workflow ID`);
    return value;
  }
  return parseAppName(value);
}

/** A Pipeline name. */
export function parsePipelineName(value: string): string {
  if (!isName(value))
    throw new InvalidArgumentError(`"${value}" is not a Pipeline name (a lower-case DNS name)`);
  return value;
}

/** A repository id option (-r, --repo). */
export function parseRepoId(value: string): string {
  if (!isRepoId(value))
    throw new InvalidArgumentError(`"${value}" is not a repository id (letters, digits, ".", "_", "-")`);
  return value;
}
