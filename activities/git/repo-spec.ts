import type { FileGlobs } from './file-filter.js';

/** A watched repository as workflows see it: where, which revision, which folder, and the *name* of its credentials. */
export interface RepoSpec extends FileGlobs {
  url: string;
  /** Branch, tag or full commit SHA. */
  revision: string;
  /** Folder inside the repository holding pipeline files ("" or "." for the whole tree). */
  path: string;
  /** Secret with `token`, or `username` and `password`; resolved only inside activities. */
  secretRef?: { name: string };
}
