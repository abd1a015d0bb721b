// Edits the worker's config file in place (comments and order kept), checking the result the way
// `sluice worker` will read it before it replaces the file.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { loadWorkerConfig, type WorkerConfig } from '../worker/config.js';
import { CliError, ExitCode } from './errors.js';

/** The default config file of `repo` / `cluster` commands, as `sluice worker --config` would be given it. */
export const defaultConfigFile = './sluice-worker.yaml';

/** Reads the config file as a YAML document (an empty one when the file does not exist yet). */
export function readConfigDocument(file: string): Document {
  if (!existsSync(file)) return emptyDocument();
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length)
    throw new CliError(
      `${file}: ${doc.errors[0]?.message}`,
      'fix the YAML, or use another --config',
      ExitCode.usage,
    );
  if (doc.contents === null) return emptyDocument();
  if (!isMap(doc.contents))
    throw new CliError(`${file} is not a worker config (a YAML mapping)`, undefined, ExitCode.usage);
  return doc;
}

/** An empty mapping written in block style (a new file reads like a hand-written one). */
function emptyDocument(): Document {
  const doc = parseDocument('{}\n');
  (doc.contents as YAMLMap).flow = false;
  return doc;
}

/** The config as the worker will see it (defaults filled in); an invalid file is a usage error. */
export function readConfig(file: string): WorkerConfig {
  try {
    return loadWorkerConfig(existsSync(file) ? file : undefined, {});
  } catch (err) {
    throw new CliError((err as Error).message.split('\n').join(' '), 'fix the file by hand', ExitCode.usage);
  }
}

/**
 * Puts `entry` into the list `key` (repositories, clusters), replacing the entry with the same
 * `idKey` only when `replace`; validates the result as the worker would and writes the file atomically.
 */
export function upsertListEntry(
  file: string,
  key: 'repositories' | 'clusters',
  idKey: 'id' | 'name',
  entry: Record<string, unknown>,
  opts: { replace: boolean; set?: Record<string, unknown> },
): 'added' | 'replaced' {
  const doc = readConfigDocument(file);
  for (const [k, v] of Object.entries(opts.set ?? {})) if (!doc.has(k)) doc.set(k, v);
  let list = doc.get(key) as YAMLSeq | undefined;
  if (!isSeq(list)) {
    doc.set(key, doc.createNode([]));
    list = doc.get(key) as YAMLSeq;
  }
  const at = list.items.findIndex((item) => isMap(item) && (item as YAMLMap).get(idKey) === entry[idKey]);
  if (at >= 0 && !opts.replace)
    throw new CliError(
      `${file} already has ${key === 'repositories' ? 'a repository' : 'a cluster'} "${entry[idKey]}"`,
      'add --upsert to replace it',
      ExitCode.usage,
    );
  const node = doc.createNode(entry);
  if (at >= 0) list.items[at] = node;
  else list.items.push(node);
  writeChecked(file, doc.toString());
  return at >= 0 ? 'replaced' : 'added';
}

/** Writes the text next to the file, loads it as the worker would, then renames it into place. */
function writeChecked(file: string, text: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  try {
    loadWorkerConfig(tmp, {});
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CliError(
      (err as Error).message.replace(tmp, file).split('\n').join(' '),
      undefined,
      ExitCode.usage,
    );
  }
  renameSync(tmp, file);
}

/**
 * Writes a secret as files `<dir>/<name>/<key>` (the worker's file secret source), readable by the
 * owner only; a `.gitignore` of `*` in `dir` keeps it out of Git if the folder is inside a work tree.
 */
export function writeFileSecret(dir: string, name: string, values: Record<string, string>): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  chmodSync(folder, 0o700);
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore))
    writeFileSync(ignore, '# Sluice secrets: never commit these\n*\n', { mode: 0o600 });
  // Keys of an earlier secret (a token replaced by a password) would still be read: remove them.
  for (const old of readdirSync(folder)) if (!(old in values)) rmSync(join(folder, old), { force: true });
  for (const [key, value] of Object.entries(values)) {
    const path = join(folder, key);
    writeFileSync(`${path}.tmp`, value, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
  return folder;
}
