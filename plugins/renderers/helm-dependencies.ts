// Chart dependencies that are not vendored in charts/: what `helm dependency build` would do, done so that
// the shared checkout and chart cache stay untouched. The chart is copied into the render's private temp
// dir and each missing dependency put into the copy's charts/: a `file://` one from inside the repository
// (or the unpacked chart), others through the worker's fetcher (egress policy, configured credentials).
// `alias`, `condition` and `tags` stay helm's business once the subchart sits in charts/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';
import { RenderError } from './renderer.js';
import { type RepoPath, resolveInRepo } from './repo-path.js';
import { walkFiles } from './walk.js';

/** A dependency as Chart.yaml lists it. */
export interface ChartDependency {
  name: string;
  /** A version or semver constraint ("*" when the chart gives none). */
  version: string;
  repository: string;
}

/** Fetches a dependency from its repository (https://, http:// or oci://): answers the folder holding the unpacked chart `<name>`. */
export type ChartDependencyFetch = (dep: ChartDependency) => Promise<string>;

/** A chart name safe in a URL path and a file name, as the Application schema's `chart` pattern. */
const chartName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Listed = { name?: unknown; version?: unknown; repository?: unknown };

function listed(file: string, rel: string): Listed[] {
  if (!existsSync(file)) return [];
  let doc: { dependencies?: unknown } | null;
  try {
    doc = parse(readFileSync(file, 'utf8')) as { dependencies?: unknown } | null;
  } catch (cause) {
    throw new RenderError(`is not valid YAML: ${(cause as Error).message}`, { file: rel, cause });
  }
  return Array.isArray(doc?.dependencies) ? (doc.dependencies as Listed[]) : [];
}

/** Whether charts/ already holds a dependency: a folder of that chart, or a `<name>-<version>.tgz`. */
function vendored(chartsDir: string, name: string): boolean {
  if (!existsSync(chartsDir)) return false;
  return readdirSync(chartsDir, { withFileTypes: true }).some((e) => {
    if (e.isFile()) return e.name.startsWith(`${name}-`) && e.name.endsWith('.tgz');
    if (!e.isDirectory()) return false;
    if (e.name === name) return true;
    const meta = listedName(join(chartsDir, e.name, 'Chart.yaml'));
    return meta === name;
  });
}

function listedName(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return (parse(readFileSync(file, 'utf8')) as { name?: string } | null)?.name;
  } catch {
    return undefined;
  }
}

/**
 * The dependencies of the chart that charts/ does not hold and that name a repository (one without is
 * helm's to report), each at the version Chart.lock pins when it satisfies Chart.yaml's constraint.
 */
export function missingDependencies(chart: RepoPath): ChartDependency[] {
  const where = posix.join(chart.rel, 'Chart.yaml');
  const lock = listed(join(chart.real, 'Chart.lock'), posix.join(chart.rel, 'Chart.lock'));
  const out: ChartDependency[] = [];
  for (const d of listed(join(chart.real, 'Chart.yaml'), where)) {
    if (typeof d.name !== 'string' || typeof d.repository !== 'string' || d.repository === '') continue;
    if (!chartName.test(d.name))
      throw new RenderError(`dependency name ${JSON.stringify(d.name)} is not a chart name`, { file: where });
    if (vendored(join(chart.real, 'charts'), d.name)) continue;
    const constraint = typeof d.version === 'string' && d.version !== '' ? d.version : '*';
    const pinned = lock.find((l) => l.name === d.name && l.repository === d.repository)?.version;
    const version =
      typeof pinned === 'string' && semver.valid(pinned) && semver.satisfies(pinned, constraint)
        ? pinned
        : constraint;
    out.push({ name: d.name, version, repository: d.repository });
  }
  return out;
}

/**
 * A private copy of the chart under tmp with every missing dependency in its charts/; answers the copy's
 * folder. `file://` paths resolve inside the chart's root (the checkout, or the unpacked chart) through
 * symlinks; other repositories go to `fetch`, and without one the render fails saying how to vendor.
 */
export async function vendorDependencies(
  chart: RepoPath,
  missing: ChartDependency[],
  tmp: string,
  fetch: ChartDependencyFetch | undefined,
): Promise<string> {
  const where = posix.join(chart.rel, 'Chart.yaml');
  const copy = join(tmp, 'chart', basename(chart.real));
  // Dereferenced: the walk before this refused links leaving the repository, and the copy must not depend on where links point.
  await cp(chart.real, copy, { recursive: true, dereference: true });
  await mkdir(join(copy, 'charts'), { recursive: true });
  for (const dep of missing) {
    const what = `dependency "${dep.name}" (${dep.repository})`;
    const target = join(copy, 'charts', dep.name);
    if (dep.repository.startsWith('file://')) {
      const dir = await resolveInRepo(
        chart.root,
        posix.join(chart.rel, dep.repository.slice('file://'.length)),
        'directory',
      ).catch((err: unknown) => {
        throw err instanceof RenderError ? new RenderError(`${what}: ${err.message}`, { file: where }) : err;
      });
      if (!existsSync(join(dir.real, 'Chart.yaml')))
        throw new RenderError(`${what}: ${dir.rel} is not a Helm chart (no Chart.yaml)`, { file: where });
      for await (const _ of walkFiles(dir.root, dir.real, { recurse: true, hidden: true }));
      await cp(dir.real, target, { recursive: true, dereference: true });
      continue;
    }
    if (!/^(https?|oci):\/\//.test(dep.repository))
      throw new RenderError(
        `${what}: the repository must be an https://, http://, oci:// or file:// URL, as a chart source's repoURL (helm's repository names, "@name" or "alias:name", mean nothing on the worker)`,
        { file: where },
      );
    if (!fetch)
      throw new RenderError(
        `${what} is not vendored in charts/ and this render does not fetch dependencies (the worker does): run \`helm dependency build\` and commit charts/`,
        { file: where },
      );
    let dir: string;
    try {
      dir = await fetch(dep);
    } catch (err) {
      // Same class (its name decides retries), with the chart and the dependency in front.
      if (err instanceof Error) err.message = `${where}: ${what}: ${err.message}`;
      throw err;
    }
    const unpacked = join(dir, dep.name);
    if (!existsSync(join(unpacked, 'Chart.yaml')))
      throw new RenderError(`${what}: the package holds no chart folder "${dep.name}"`, { file: where });
    await cp(unpacked, target, { recursive: true });
  }
  return copy;
}
