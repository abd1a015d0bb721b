// A working clone of one branch under the worker's Git limits, for the activities that edit a
// repository and push (a Pipeline's git-update step, an ImageUpdateAutomation's write-back).
import * as fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import type { GitLimits } from '../trust/config.js';
import type { gitAuth } from './auth.js';
import { limitedHttp } from './limited-http.js';
import { readCounted, TreeBudget, walkCommit } from './tree-walk.js';

/**
 * Clones the branch under the worker's Git limits: the pack is checked as it streams in (limitedHttp),
 * and the tree is walked and counted (files, folders, bytes) before anything is written to disk.
 */
export async function boundedClone(
  limits: GitLimits,
  opts: { dir: string; url: string; branch: string; auth: ReturnType<typeof gitAuth> },
): Promise<void> {
  const { dir, url, branch, auth } = opts;
  const limited = limitedHttp(limits, { url, revision: branch }, { adviseHead: true });
  await git
    .clone({ fs, http: limited.http, dir, url, ref: branch, singleBranch: true, noCheckout: true, ...auth })
    .catch((err: unknown) => {
      throw limited.failure() ?? err;
    });
  const gitdir = join(dir, '.git');
  const sha = await git.resolveRef({ fs, gitdir, ref: 'HEAD' });
  const budget = new TreeBudget(limits, { url, revision: sha });
  const cache = {};
  for await (const f of walkCommit({ gitdir, sha, prefix: '', budget, cache }))
    await readCounted(gitdir, f, budget, cache);
  await git.checkout({ fs, dir, ref: branch, cache });
}
