// The parameter sets of one generator, each labelled with the element it came from (for messages and
// the watcher's records). Pure: what the generators read comes in GeneratorInputs.
import { parse } from 'yaml';
import type {
  ApplicationSetGenerator,
  ClustersGenerator,
  GitGenerator,
  ListGenerator,
} from '../../types.generated.js';
import { fieldIssue, type Issue } from '../issue.js';
import { formatPath, type Path } from '../path.js';
import {
  foldersOf,
  type GeneratorInputs,
  matcher,
  otherRepoKey,
  type RepoTree,
  readsWatchedRepo,
} from './inputs.js';
import { clusterParams, directoryParams, fileParams, flatten, type Params } from './params.js';

/** One parameter set and the generator element that yielded it, e.g. `spec.generators[0].git.directories: apps/web`. */
export interface ParamSet {
  params: Params;
  element: string;
}

/** The parameter sets of a generator, or the issues that kept it from yielding them. */
export interface Generated {
  sets: ParamSet[];
  issues: Issue[];
}

const none = (issues: Issue[]): Generated => ({ sets: [], issues });

function fromList(list: ListGenerator, at: Path): Generated {
  return {
    sets: list.elements.map((e, i) => ({ params: flatten(e), element: formatPath([...at, 'elements', i]) })),
    issues: [],
  };
}

/** The tree a git generator reads, or an issue saying why there is none. */
function treeOf(git: GitGenerator, at: Path, inputs: GeneratorInputs): RepoTree | Issue {
  const watched = readsWatchedRepo(git.repoURL, inputs);
  const answer = watched ? inputs.repo : inputs.others?.[otherRepoKey(git.repoURL as string, git.revision)];
  const field = watched ? at : [...at, 'repoURL'];
  if (!answer)
    return fieldIssue(field, 'the repository’s files were not read, so this generator yields nothing');
  if ('error' in answer) return fieldIssue(field, answer.error);
  return answer;
}

/** The contents of one file as parameter sets: a mapping, or a list of mappings. */
function fileSets(file: string, content: string | undefined, at: Path): Generated {
  const issue = (message: string) => none([fieldIssue(at, `${file}: ${message}`)]);
  if (content === undefined) return issue('its contents were not read');
  let value: unknown;
  try {
    value = parse(content, { maxAliasCount: 100 });
  } catch (err) {
    return issue(`not JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.some((v) => v === null || typeof v !== 'object' || Array.isArray(v)))
    return issue('must hold a mapping or a list of mappings');
  return {
    sets: items.map((v, i) => ({
      params: { ...flatten(v), ...fileParams(file) },
      element: `${formatPath(at)}: ${file}${items.length > 1 ? `[${i}]` : ''}`,
    })),
    issues: [],
  };
}

function fromGit(git: GitGenerator, at: Path, inputs: GeneratorInputs): Generated {
  const tree = treeOf(git, at, inputs);
  if ('message' in tree) return none([tree]);
  if (git.directories) {
    const include = matcher(git.directories.filter((d) => !d.exclude).map((d) => d.path));
    const exclude = matcher(git.directories.filter((d) => d.exclude).map((d) => d.path));
    const where = formatPath([...at, 'directories']);
    const dirs = foldersOf(tree.files).filter((d) => include(d) && !exclude(d));
    return { sets: dirs.map((d) => ({ params: directoryParams(d), element: `${where}: ${d}` })), issues: [] };
  }
  const globs = matcher((git.files ?? []).map((f) => f.path));
  const out: Generated = { sets: [], issues: [] };
  for (const file of tree.files.filter(globs)) {
    const one = fileSets(file, tree.contents[file], [...at, 'files']);
    out.sets.push(...one.sets);
    out.issues.push(...one.issues);
  }
  return out;
}

function fromClusters(gen: ClustersGenerator, at: Path, inputs: GeneratorInputs): Generated {
  const wanted = Object.entries(gen.selector?.matchLabels ?? {});
  const clusters = (inputs.clusters ?? [{ name: 'in-cluster' }]).filter((c) =>
    wanted.every(([k, v]) => c.labels?.[k] === v),
  );
  return {
    sets: clusters.map((c) => ({ params: clusterParams(c), element: `${formatPath(at)}: ${c.name}` })),
    issues: [],
  };
}

/** The parameter sets of the generator at `at` (e.g. ["spec", "generators", 0]). */
export function generate(g: ApplicationSetGenerator, at: Path, inputs: GeneratorInputs): Generated {
  if (g.list) return fromList(g.list, [...at, 'list']);
  if (g.git) return fromGit(g.git, [...at, 'git'], inputs);
  if (g.clusters) return fromClusters(g.clusters, [...at, 'clusters'], inputs);
  if (!g.matrix) return none([]);
  const [a, b] = g.matrix.generators.map((child, i) =>
    generate(child, [...at, 'matrix', 'generators', i], inputs),
  ) as [Generated, Generated];
  // A parameter both generators set takes the second's value.
  const sets = a.sets.flatMap((x) =>
    b.sets.map((y) => ({ params: { ...x.params, ...y.params }, element: `${x.element} × ${y.element}` })),
  );
  return { sets, issues: [...a.issues, ...b.issues] };
}
