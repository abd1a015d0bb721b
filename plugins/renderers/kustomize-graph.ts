// Keeps `kustomize build` inside the repository. kustomize's own load restrictor keeps the files a
// kustomization reads (patches, generator files) under its folder, but not the folders it builds on:
// `resources: [../../<another team's checkout>/prod]` rendered that team's Secret, and remote bases were
// fetched from anywhere. Before kustomize runs, every kustomization reachable from the application's
// folder is read here and every path in it checked: local paths must stay inside the repository
// (through symlinks), remote ones must be under a prefix the administrator allows.
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
import { kustomizationFiles } from './detect.js';
import { isRemote, remoteRefusal } from './kustomize-remote.js';
import { RenderError } from './renderer.js';
import { isInside, relPath } from './repo-path.js';

/** How kustomize reads an entry: a file or kustomization folder or remote base; a file; a file or inline patch; a file of plugin configs or an inline one. */
type EntryKind = 'tree' | 'file' | 'patch' | 'plugin';

/** One path-valued entry of a kustomization (or plugin config), with where it is, for messages. */
interface Entry {
  /** The field as a person reads it: resources[2], configMapGenerator[0].files[1]. */
  field: string;
  value: unknown;
  /** Keys from the document's root to the value, for its line. */
  keys: (string | number)[];
  kind: EntryKind;
}

/** Top-level list fields of a Kustomization (api/types/kustomization.go) whose entries are paths. */
const listFields: [string, EntryKind][] = [
  ['resources', 'tree'],
  ['bases', 'tree'],
  ['components', 'tree'],
  ['crds', 'file'],
  ['configurations', 'file'],
  ['patchesStrategicMerge', 'patch'],
  ['generators', 'plugin'],
  ['transformers', 'plugin'],
  ['validators', 'plugin'],
];

/** Top-level lists of objects, and the keys of those objects that name files. */
const objectListFields: [string, string[]][] = [
  ['patches', ['path']],
  ['patchesJson6902', ['path']],
  ['replacements', ['path']],
  ['configMapGenerator', ['files', 'envs', 'env']],
  ['secretGenerator', ['files', 'envs', 'env']],
];

/** Keys that name files in a builtin plugin's config (PatchTransformer, ConfigMapGenerator, ReplacementTransformer, …). */
const pluginPathKeys = new Set([
  'path',
  'paths',
  'files',
  'envs',
  'env',
  'valuesfile',
  'additionalvaluesfiles',
]);

const helmFields = ['helmGlobals', 'helmCharts', 'helmChartInflationGenerator'];

const remoteHint =
  'copy the base into this repository, or ask the administrator to allow the remote base in render.kustomize.remoteBases';
const localHint =
  'copy it into this repository, or use a remote base the administrator allows (render.kustomize.remoteBases)';

/**
 * kustomize decodes a kustomization as JSON into Go structs, and Go matches field names without regard
 * to case (with the Kelvin sign as k and the long s as s): "Resources:" is read as "resources:".
 */
const fold = (key: string) =>
  key
    .replace(/\u212a/g, 'k')
    .replace(/\u017f/g, 's')
    .toLowerCase();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every key of obj that kustomize would read as name, with its value. */
function pick(obj: unknown, name: string): [string, unknown][] {
  return isObject(obj) ? Object.entries(obj).filter(([k]) => fold(k) === fold(name)) : [];
}

/** A field's entries: a list as is, a single value as a list of one (kustomize refuses it; it is checked all the same). */
function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** The path-valued entries of a kustomization, by kustomize's field list. */
function kustomizationEntries(k: Record<string, unknown>): Entry[] {
  const out: Entry[] = [];
  for (const [name, kind] of listFields)
    for (const [key, list] of pick(k, name))
      for (const [i, value] of items(list).entries())
        out.push({ field: `${key}[${i}]`, value, keys: [key, i], kind });
  for (const [name, pathKeys] of objectListFields)
    for (const [key, list] of pick(k, name))
      for (const [i, item] of items(list).entries())
        for (const pathKey of pathKeys)
          for (const [sub, v] of pick(item, pathKey))
            out.push(...fileEntries(sub, v, `${key}[${i}].${sub}`, [key, i, sub]));
  for (const [key, api] of pick(k, 'openapi'))
    for (const [sub, value] of pick(api, 'path'))
      out.push(...fileEntries(sub, value, `${key}.${sub}`, [key, sub]));
  return out;
}

/** The entries of a key naming files: one, or a list; a generator's `files` entries are `[key=]path`. */
function fileEntries(key: string, value: unknown, field: string, keys: (string | number)[]): Entry[] {
  const path = (v: unknown) => {
    if (fold(key) !== 'files' || typeof v !== 'string') return v;
    return v.includes('=') ? v.slice(v.indexOf('=') + 1) : v;
  };
  if (!Array.isArray(value)) return [{ field, value: path(value), keys, kind: 'file' }];
  return value.map((v, i) => ({ field: `${field}[${i}]`, value: path(v), keys: [...keys, i], kind: 'file' }));
}

/** Path-valued entries anywhere in a plugin config (the builtins read their files with the kustomization's loader). */
function pluginEntries(config: unknown, field: string): Entry[] {
  const out: Entry[] = [];
  const visit = (v: unknown, label: string, at: (string | number)[]) => {
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? [...v.entries()]
      : isObject(v)
        ? Object.entries(v)
        : [];
    for (const [k, x] of entries) {
      const child = typeof k === 'number' ? `${label}[${k}]` : `${label}${label ? '.' : ''}${k}`;
      const files = typeof k === 'string' && pluginPathKeys.has(fold(k));
      const strings = typeof x === 'string' || (Array.isArray(x) && x.every((p) => typeof p === 'string'));
      // A "path" holding objects (as fieldSpecs do) names no file: look inside it instead.
      if (files && strings) out.push(...fileEntries(k, x, child, [...at, k]));
      else visit(x, child, [...at, k]);
    }
  };
  visit(config, field, []);
  return out;
}

/** A parsed YAML file with a way to find the line of a value. */
interface Parsed {
  docs: Document[];
  lineOf: (doc: number, keys: (string | number)[]) => number | undefined;
}

function parseYaml(text: string, file: string): Parsed {
  const lines = new LineCounter();
  // YAML 1.1 with merge keys, as kustomize's Go YAML reads it; duplicate keys are refused.
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, lineCounter: lines });
  if (!Array.isArray(docs)) return { docs: [], lineOf: () => undefined }; // an empty stream
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err)
      throw new RenderError(`is not valid YAML: ${err.message.split('\n')[0]}`, {
        file,
        line: err.linePos?.[0].line,
      });
  }
  return {
    docs,
    lineOf: (doc, keys) => {
      const node = docs[doc]?.getIn(keys, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lines.linePos(node.range[0]).line : undefined;
    },
  };
}

/** A file's text; one that cannot be read (a folder named like a file) is the repository's fault, not the worker's. */
async function readText(real: string, file: string): Promise<string> {
  try {
    return await readFile(real, 'utf8');
  } catch (cause) {
    throw new RenderError(`cannot be read (${(cause as NodeJS.ErrnoException).code})`, { file, cause });
  }
}

/** Walks the kustomizations reachable from one folder, refusing any path that leaves the repository. */
export class KustomizationGraph {
  private readonly visited = new Set<string>();

  /** root: the repository root, resolved through symlinks; remoteBases: the URL prefixes the administrator allows. */
  constructor(
    private readonly root: string,
    private readonly remoteBases: readonly string[],
  ) {}

  /** The folders checked so far (real paths): the app's kustomization and every local base it builds on. */
  folders(): string[] {
    return [...this.visited];
  }

  /** Checks the kustomization in dir (a real path inside the root) and everything it builds on. */
  async check(dir: string): Promise<void> {
    if (this.visited.has(dir)) return;
    this.visited.add(dir);
    const name = kustomizationFiles.find((f) => existsSync(join(dir, f)));
    if (!name) return; // kustomize reports the missing kustomization itself
    const file = relPath(this.root, join(dir, name));
    const real = await realpath(join(dir, name));
    if (!isInside(this.root, real))
      throw new RenderError('is a symlink to a file outside the repository', { file });
    const parsed = parseYaml(await readText(real, file), file);
    const nonEmpty = parsed.docs.filter((d) => d.contents !== null);
    if (nonEmpty.length > 1) throw new RenderError('holds more than one YAML document', { file });
    const k = parsed.docs[0]?.toJS({ maxAliasCount: 100 });
    if (!isObject(k)) return; // kustomize reports an empty or malformed kustomization itself
    const at = (e: Entry) => ({ file, line: parsed.lineOf(0, e.keys) });
    for (const helm of helmFields)
      for (const [key] of pick(k, helm))
        throw new RenderError(
          `${key}: Sluice runs kustomize without --enable-helm (helm would download charts and run with the worker's rights): render the chart with the helm renderer (render.plugin: helm) instead`,
          at({ field: key, value: undefined, keys: [key], kind: 'file' }),
        );
    for (const entry of kustomizationEntries(k)) await this.entry(entry, dir, at(entry));
  }

  private async entry(e: Entry, dir: string, where: { file: string; line?: number }): Promise<void> {
    const fail = (why: string) => new RenderError(`${e.field} ${JSON.stringify(e.value)} ${why}`, where);
    if (typeof e.value !== 'string') throw new RenderError(`${e.field} must be a string`, where);
    const value = e.value;
    if (isRemote(value)) {
      const refused = remoteRefusal(value, this.remoteBases);
      if (refused) throw fail(`${refused}: ${remoteHint}`);
      return; // fetched by kustomize; what an allowed base holds is the administrator's choice
    }
    // Inline patches and plugin configs are YAML, not paths; an inline config's own paths are checked.
    // The text is checked as a path too, as kustomize tries it as one when it is not a valid resource.
    if (e.kind === 'plugin' && value.includes(':')) await this.inlinePlugin(value, e, dir, where);
    if (isAbsolute(value))
      throw fail('is an absolute path: paths in a kustomization are relative to its folder');
    const target = resolve(dir, value);
    if (!isInside(this.root, target)) throw fail(`leaves the repository: ${localHint}`);
    const real = await realpath(target).catch(() => undefined);
    if (real === undefined) return; // nothing there to read: kustomize reports it
    if (!isInside(this.root, real)) throw fail(`is a symlink to a path outside the repository: ${localHint}`);
    if (!(await stat(real)).isDirectory()) {
      if (e.kind === 'plugin') await this.pluginFile(real, dir);
      return;
    }
    if (e.kind === 'tree') return this.check(real);
    if (e.kind === 'plugin')
      // Its output could be patched into a config after this check: only files and inline configs are read.
      throw fail(
        'is a folder: Sluice accepts generator, transformer and validator configs as files or inline, not as kustomizations',
      );
  }

  private async inlinePlugin(text: string, e: Entry, dir: string, where: { file: string; line?: number }) {
    let docs: Document[];
    try {
      docs = parseYaml(text, where.file).docs;
    } catch {
      return; // not YAML: a path
    }
    for (const doc of docs)
      for (const inner of pluginEntries(doc.toJS({ maxAliasCount: 100 }), e.field))
        await this.entry(inner, dir, where);
  }

  private async pluginFile(real: string, dir: string): Promise<void> {
    const file = relPath(this.root, real);
    const parsed = parseYaml(await readText(real, file), file);
    // The builtins resolve their paths against the kustomization's folder, not the config file's.
    for (const [i, doc] of parsed.docs.entries())
      for (const inner of pluginEntries(doc.toJS({ maxAliasCount: 100 }), ''))
        await this.entry(inner, dir, { file, line: parsed.lineOf(i, inner.keys) });
  }
}
