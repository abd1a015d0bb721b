// A web metric's jsonPath, written as Argo Rollouts writes it (Kubernetes JSONPath: "{$.data.ok}" or
// "{.data.ok}"), in the form a JSONPath library reads ("$.data.ok"). The path is a pipeline-file author's:
// filter and script expressions would run code, so they are refused here (at load) and the provider
// evaluates paths with script evaluation off as well.

/** The whole answer: the path of a web metric that sets none. */
export const WHOLE_ANSWER = '$';

/** "{$.data.ok}", "{.data.ok}", ".data.ok" and "$.data.ok" all as "$.data.ok". */
export function normalizeJsonPath(path: string): string {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (p === '' || p === '.') return WHOLE_ANSWER;
  if (p.startsWith('$')) return p;
  return p.startsWith('.') || p.startsWith('[') ? `$${p}` : `$.${p}`;
}

/** What is wrong with a jsonPath (filters, scripts, several paths), or undefined when it can be used. */
export function jsonPathProblem(path: string): string | undefined {
  const p = normalizeJsonPath(path);
  if (/\[\s*\?\s*\(/.test(p)) return 'filter expressions [?(...)] are not supported';
  if (/\[\s*\(/.test(p)) return 'script expressions [(...)] are not supported';
  // Kubernetes JSONPath may hold several {…} templates and text around them; a metric reads one value.
  if (/[{}]/.test(p)) return 'a jsonPath holds one path, e.g. {$.data.value}';
  if (/\s/.test(p.replace(/(['"]).*?\1/g, ''))) return 'a jsonPath has no spaces outside quoted names';
  return undefined;
}
