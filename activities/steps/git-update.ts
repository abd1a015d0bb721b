// git-update: set an image tag or a YAML field in one file of a repository, commit and push, with
// isomorphic-git over smart HTTP. Idempotent: an attempt that finds the value already set pushes nothing.
import * as fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { type Document, isMap, isScalar, parseAllDocuments, visit } from 'yaml';
import type { Caller } from '../../core/identity.js';
import { gitAuth } from '../git/auth.js';
import { boundedClone } from '../git/bounded-clone.js';
import { checkRepoUrl } from '../git/repo-url.js';
import { whileBeating } from '../keep-alive.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { checkSource } from '../sync/project-policy.js';
import type { TrustConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { fileInClone, repoPathSegments } from './clone-path.js';
import { requireString, stepFailed, stepInputError } from './errors.js';
import type { StepCall } from './types.js';

// fileInClone refuses symlinks on the way; opening with O_NOFOLLOW keeps that true at the syscall too.
const NO_FOLLOW_READ = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;
const NO_FOLLOW_WRITE = fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW;

/** Dependencies of git-update. */
export interface GitUpdateDeps {
  secrets: SecretStore;
  secretAccess: SecretAccess;
  projects: ProjectRegistry;
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  /** The worker's Git limits: the clone is checked as it streams in, the tree before it is checked out. */
  trust: Pick<TrustConfig, 'git'>;
}

/** "spec.template.spec.containers[0].image" → ["spec", "template", "spec", "containers", 0, "image"]. */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && !m[2]))
      throw stepInputError(`field "${field}" is not a dotted path like a.b[0].c`);
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Sets every `image: <image>[:tag|@digest]` (and kustomize `images: [{name: <image>, newTag}]`) to the tag; answers how many it found. */
export function setImageTag(docs: Document[], image: string, tag: string): number {
  let found = 0;
  const matches = (v: unknown) =>
    typeof v === 'string' && (v === image || v.startsWith(`${image}:`) || v.startsWith(`${image}@`));
  for (const doc of docs)
    visit(doc, {
      Pair(_key, pair) {
        if (
          isScalar(pair.key) &&
          pair.key.value === 'image' &&
          isScalar(pair.value) &&
          matches(pair.value.value)
        ) {
          pair.value.value = `${image}:${tag}`;
          found++;
        }
      },
      Map(_key, map) {
        if (isMap(map) && map.get('name') === image && map.has('newTag')) {
          map.set('newTag', tag);
          found++;
        }
      },
    });
  return found;
}

/**
 * Edits the file's text; answers the new text (the text as it was when the value was already set), or a
 * StepFailed when nothing matched.
 */
export function editYaml(text: string, inputs: Record<string, unknown>, file: string): string {
  const docs = parseAllDocuments(text);
  if (docs.some((d) => 'errors' in d && d.errors.length > 0))
    throw stepFailed(`${file} is not valid YAML: ${docs.find((d) => d.errors.length)?.errors[0]?.message}`);
  const list = docs as Document[];
  // Serialising restyles flow collections (`{a: b}` → `{ a: b }`): compare against the file as the
  // serialiser writes it, so a value already set is no change and no formatting-only commit.
  const unedited = list.map((d) => d.toString()).join('');
  if (typeof inputs.image === 'string') {
    if (setImageTag(list, inputs.image, String(inputs.tag)) === 0)
      throw stepFailed(
        `${file} has no image ${inputs.image} (image: ${inputs.image}:<tag> or kustomize images[].name)`,
      );
  } else {
    const index = typeof inputs.document === 'number' ? inputs.document : 0;
    const doc = list[index];
    if (!doc) throw stepInputError(`${file} has no YAML document ${index} (it has ${list.length})`);
    const path = fieldPath(requireString(inputs, 'field', 'git-update'));
    doc.setIn(path, inputs.value);
  }
  const edited = list.map((d) => d.toString()).join('');
  return edited === unedited ? text : edited;
}

/** Clones the branch, edits the file, commits (the message names the run) and pushes; answers the branch's commit. */
export async function stepGitUpdate(deps: GitUpdateDeps, call: StepCall): Promise<Record<string, unknown>> {
  const { inputs, step } = call;
  const url = checkRepoUrl(requireString(inputs, 'repoURL', step));
  const file = requireString(inputs, 'file', step);
  repoPathSegments(file); // a path that could leave the clone fails before anything is fetched
  const branch = typeof inputs.branch === 'string' ? inputs.branch : 'main';
  // Writing to a repository is reading it and more: only one of the Project's sourceRepos.
  checkSource(await deps.projects.policyFor(call.caller), {
    name: call.pipeline,
    what: 'Pipeline',
    repoURL: url,
  });
  const named = inputs.secretRef as { name: string } | undefined;
  const configured = deps.credentialsFor(url, call.caller);
  const secret = named
    ? await deps.secretAccess.resolve(named, { caller: call.caller, sendTo: url })
    : configured
      ? await deps.secrets.resolve(configured)
      : undefined;
  const auth = gitAuth(url, secret);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-git-update-'));
  try {
    await whileBeating({ cloning: url }, () => boundedClone(deps.trust.git, { dir, url, branch, auth }));
    // Inside the clone's real path, through real folders only, to a regular file (never a symlink).
    const target = await fileInClone(dir, file);
    if (!target) throw stepFailed(`${url} has no file ${file} on ${branch}`);
    const { path } = target;
    const before = await readFile(path, { encoding: 'utf8', flag: NO_FOLLOW_READ });
    const after = editYaml(before, inputs, file);
    if (after === before)
      return { sha: await git.resolveRef({ fs, dir, ref: 'HEAD' }), changed: false, file };
    await writeFile(path, after, { flag: NO_FOLLOW_WRITE });
    await git.add({ fs, dir, filepath: target.relative });
    const what =
      typeof inputs.image === 'string'
        ? `set ${inputs.image}:${inputs.tag}`
        : `set ${inputs.field} = ${JSON.stringify(inputs.value)}`;
    const subject = typeof inputs.message === 'string' ? inputs.message : `${what} in ${file}`;
    const sha = await git.commit({
      fs,
      dir,
      message: `${subject}\n\nPipeline ${call.pipeline} run ${call.run}, step ${step} (${call.workflowId}).\n`,
      author: { name: 'Sluice', email: 'sluice@localhost' },
    });
    const pushed = await whileBeating({ pushing: url }, () =>
      git.push({ fs, http, dir, remote: 'origin', ref: branch, ...auth }),
    );
    if (!pushed.ok)
      throw new Error(`push to ${url} ${branch} refused: ${pushed.error ?? JSON.stringify(pushed.refs)}`);
    return { sha, changed: true, file };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
