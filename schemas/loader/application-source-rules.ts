// Application source checks a schema cannot express: what a Helm chart source may carry, Argo CD's
// multi-source refs, and "$<ref>/…" value files, reported at load time with file:line.
import semver from 'semver';
import { parseValueFileRef, ValueFileRefError } from '../../core/sync/value-file-ref.js';
import { fieldIssue, type Issue } from './issue.js';
import { type Path, valueAt } from './path.js';

const issue = fieldIssue;

type Source = Record<string, unknown>;

/** A chart source's own rules: repository scheme, no path, the helm renderer, a semver version or constraint. */
function chartIssues(s: Source, at: Path): Issue[] {
  const issues: Issue[] = [];
  const url = String(s.repoURL ?? '');
  if (!/^(https?|oci):\/\//.test(url))
    issues.push(
      issue(
        [...at, 'repoURL'],
        `a chart's repoURL must be a Helm repository (https://…) or an OCI location (oci://host/path), not ${JSON.stringify(url)}`,
      ),
    );
  if (s.path !== undefined)
    issues.push(
      issue(
        [...at, 'path'],
        'path is not used with chart: the chart comes from the repository at repoURL',
        'remove path, or remove chart to render a folder of a Git repository',
        'key',
      ),
    );
  const target = s.targetRevision;
  if (typeof target === 'string' && semver.validRange(target) === null)
    issues.push(
      issue(
        [...at, 'targetRevision'],
        `${JSON.stringify(target)} is not a chart version or semver constraint`,
        'give a version such as "1.2.3" or a constraint such as "^1.2", "~1.2.0", ">=1.0.0 <2.0.0" or "*"',
      ),
    );
  const plugin = valueAt(s, ['render', 'plugin']);
  if (plugin !== undefined && plugin !== 'helm')
    issues.push(
      issue(
        [...at, 'render', 'plugin'],
        `a chart is rendered by the helm renderer, not ${JSON.stringify(plugin)}`,
      ),
    );
  return issues;
}

/** The "$ref/…" value files of a source, checked against the refs the Application declares. */
function valueFileIssues(s: Source, at: Path, refs: Set<string>, multi: boolean): Issue[] {
  const files = valueAt(s, ['render', 'valueFiles']);
  if (!Array.isArray(files)) return [];
  const issues: Issue[] = [];
  files.forEach((file, i) => {
    const field = [...at, 'render', 'valueFiles', i];
    try {
      const parsed = parseValueFileRef(String(file));
      if (!parsed) return;
      if (!multi)
        issues.push(
          issue(field, `${file} names a source by ref, but only spec.sources has refs`, 'use spec.sources'),
        );
      else if (!refs.has(parsed.ref))
        issues.push(
          issue(
            field,
            `no source has ref "${parsed.ref}"`,
            refs.size ? `refs declared: ${[...refs].join(', ')}` : 'give the source holding the file a ref',
          ),
        );
    } catch (err) {
      if (!(err instanceof ValueFileRefError)) throw err;
      issues.push(
        issue(field, err.message, 'name a file inside that source, relative to its repository root'),
      );
    }
  });
  return issues;
}

/** The issues of a schema-valid Application spec's source or sources. */
export function applicationSourceIssues(spec: unknown): Issue[] {
  const issues: Issue[] = [];
  const single = valueAt(spec, ['source']) as Source | undefined;
  const list = valueAt(spec, ['sources']);
  if (single) {
    const at: Path = ['spec', 'source'];
    if (single.ref !== undefined)
      issues.push(
        issue(
          [...at, 'ref'],
          'ref names a source for the others of spec.sources; a single source has none',
          undefined,
          'key',
        ),
      );
    if (single.chart !== undefined) issues.push(...chartIssues(single, at));
    issues.push(...valueFileIssues(single, at, new Set(), false));
  }
  if (!Array.isArray(list)) return issues;
  const refs = new Set<string>();
  list.forEach((s: Source, i) => {
    if (typeof s.ref !== 'string') return;
    if (refs.has(s.ref))
      issues.push(issue(['spec', 'sources', i, 'ref'], `ref "${s.ref}" is declared twice`));
    refs.add(s.ref);
  });
  list.forEach((s: Source, i) => {
    const at: Path = ['spec', 'sources', i];
    if (s.chart !== undefined) issues.push(...chartIssues(s, at));
    const refOnly = s.ref !== undefined && s.path === undefined && s.chart === undefined;
    if (refOnly && s.render !== undefined)
      issues.push(
        issue(
          [...at, 'render'],
          'a source with ref and without path or chart only provides files and is not rendered',
          'remove render, or give the source a path to render it too',
          'key',
        ),
      );
    issues.push(...valueFileIssues(s, at, refs, true));
  });
  return issues;
}
