import type { StepPlugin } from './types.js';

/** `git-update`: sets an image tag or a YAML field in a file of a repository and pushes a commit. */
export const gitUpdateStep: StepPlugin = {
  name: 'git-update',
  description:
    'Sets an image tag (`image` + `tag`) or a YAML field (`field` + `value`) in a file and commits and pushes it; the commit message names the run.',
  runsIn: 'activity',
  activity: 'stepGitUpdate',
  defaultTimeout: '5m',
  inputs: {
    repoURL: { type: 'string', required: true, description: 'http(s) URL of the repository.' },
    branch: { type: 'string', description: 'Branch to commit to (default main).' },
    file: { type: 'string', required: true, description: 'Path of the YAML file in the repository.' },
    image: { type: 'string', description: 'Image repository whose tag to set, e.g. "ghcr.io/acme/web".' },
    tag: { type: 'string', description: 'The new tag (with `image`).' },
    field: { type: 'string', description: 'Dotted path of the field, e.g. "spec.replicas" or "a.b[0].c".' },
    value: { type: 'any', description: 'The new value (with `field`).' },
    document: { type: 'number', description: 'Which YAML document of the file (default 0, with `field`).' },
    secretRef: { type: 'object', description: '{name}: Git credentials (token, or username + password).' },
    message: { type: 'string', description: 'First line of the commit message (the run is appended).' },
  },
  outputs: { sha: 'the commit now at the branch', changed: 'false when the file already had the value' },
  check: (w) => {
    const image = w.image !== undefined || w.tag !== undefined;
    const field = w.field !== undefined || w.value !== undefined;
    if (image === field) return [{ field: 'image', message: 'set either image + tag or field + value' }];
    if (image && (w.image === undefined || w.tag === undefined))
      return [{ field: w.image === undefined ? 'image' : 'tag', message: 'image and tag go together' }];
    if (field && (w.field === undefined || w.value === undefined))
      return [{ field: w.field === undefined ? 'field' : 'value', message: 'field and value go together' }];
    return [];
  },
};
