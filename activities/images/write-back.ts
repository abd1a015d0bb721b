// The write-back activity of an ImageUpdateAutomation: clone the branch, set the values whose markers
// name the policy, commit with a message naming the image and old → new tag, and push. Idempotent: the
// files are read again on every attempt, so an attempt after a push that landed finds nothing to change
// and pushes nothing (a registry or Git outage delays a commit, never doubles it).
import * as fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import type { Caller } from '../../core/identity.js';
import { type ImageSelection, type MarkerChange, setImageMarkers } from '../../core/image/markers.js';
import { gitAuth } from '../git/auth.js';
import { boundedClone } from '../git/bounded-clone.js';
import { checkRepoUrl } from '../git/repo-url.js';
import { whileBeating } from '../keep-alive.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { checkSource } from '../sync/project-policy.js';
import type { TrustConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { AutomationPathError, cloneFile, markedFileCandidates } from './marked-files.js';

const NO_FOLLOW_READ = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;
const NO_FOLLOW_WRITE = fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW;

/** Dependencies of the write-back. */
export interface WriteBackDeps {
  secrets: SecretStore;
  secretAccess: SecretAccess;
  projects: ProjectRegistry;
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  trust: Pick<TrustConfig, 'git'>;
}

/** One automation's write of one selection. */
export interface WriteBackInput {
  caller: Caller;
  /** The ImageUpdateAutomation, "namespace/name", for messages. */
  automation: string;
  policy: { namespace: string; name: string };
  selection: ImageSelection;
  repoURL: string;
  branch: string;
  path: string;
  secretRef?: { name: string };
  author?: { name: string; email: string };
  /** The policy workflow, named in the commit message. */
  workflowId: string;
}

/** The commit (or the branch's head when nothing changed) and the values set. */
export interface WriteBackResult {
  sha: string;
  changed: boolean;
  changes: (MarkerChange & { file: string })[];
}

/** The tags the changed values held before, for the subject: "1.0.0", or "1.0.0, 1.1.0". */
function oldTags(changes: WriteBackResult['changes'], image: string): string {
  const tags = new Set(
    changes.map((c) => (c.from.startsWith(`${image}:`) ? c.from.slice(image.length + 1) : c.from)),
  );
  return [...tags].join(', ');
}

/** Clones, rewrites the markers of the policy under path, commits and pushes; see the file comment. */
export async function writeBack(deps: WriteBackDeps, input: WriteBackInput): Promise<WriteBackResult> {
  const url = checkRepoUrl(input.repoURL);
  // Writing to a repository is reading it and more: only one of the Project's sourceRepos.
  checkSource(await deps.projects.policyFor(input.caller), {
    name: input.automation,
    what: 'ImageUpdateAutomation',
    repoURL: url,
  });
  const configured = deps.credentialsFor(url, input.caller);
  const secret = input.secretRef
    ? await deps.secretAccess.resolve(input.secretRef, { caller: input.caller, sendTo: url })
    : configured
      ? await deps.secrets.resolve(configured)
      : undefined;
  const auth = gitAuth(url, secret);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-image-update-'));
  try {
    await whileBeating({ cloning: url }, () =>
      boundedClone(deps.trust.git, { dir, url, branch: input.branch, auth }),
    );
    let files: string[];
    try {
      files = await markedFileCandidates(dir, input.path);
    } catch (err) {
      if (err instanceof AutomationPathError)
        throw ApplicationFailure.nonRetryable(`${input.automation}: ${err.message}`, 'AutomationPathError');
      throw err;
    }
    const changes: WriteBackResult['changes'] = [];
    for (const file of files) {
      const path = cloneFile(dir, file);
      const before = await readFile(path, { encoding: 'utf8', flag: NO_FOLLOW_READ });
      const after = setImageMarkers(before, input.policy, input.selection);
      if (after.changes.length === 0) continue;
      await writeFile(path, after.text, { flag: NO_FOLLOW_WRITE });
      await git.add({ fs, dir, filepath: file });
      changes.push(...after.changes.map((c) => ({ ...c, file })));
    }
    if (changes.length === 0)
      return { sha: await git.resolveRef({ fs, dir, ref: 'HEAD' }), changed: false, changes };
    const { image, tag } = input.selection;
    const body = changes.map((c) => `- ${c.file}:${c.line}: ${c.from} → ${c.to}`).join('\n');
    const sha = await git.commit({
      fs,
      dir,
      message: `Update image ${image}: ${oldTags(changes, image)} → ${tag}\n\n${body}\n\nImagePolicy ${input.policy.namespace}/${input.policy.name}, ImageUpdateAutomation ${input.automation} (${input.workflowId}).\n`,
      author: input.author ?? { name: 'Sluice', email: 'sluice@localhost' },
    });
    const pushed = await whileBeating({ pushing: url }, () =>
      git.push({ fs, http, dir, remote: 'origin', ref: input.branch, ...auth }),
    );
    if (!pushed.ok)
      throw new Error(
        `push to ${url} ${input.branch} refused: ${pushed.error ?? JSON.stringify(pushed.refs)}`,
      );
    return { sha, changed: true, changes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
