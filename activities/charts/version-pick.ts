// Which chart version a constraint resolves to, as Helm resolves it: the highest version that satisfies
// the constraint, prereleases only when the constraint itself names one (Masterminds/semver's rule,
// which the `semver` package follows without includePrerelease).
import semver from 'semver';

/** The highest of `versions` satisfying `constraint`, or undefined; versions that are not semver are skipped. */
export function pickChartVersion(versions: readonly string[], constraint: string): string | undefined {
  const valid = versions.filter((v) => semver.valid(v) !== null);
  return semver.maxSatisfying(valid, constraint) ?? undefined;
}
