/**
 * A request's verb and what it touched, as "GET apps/deployments", "PATCH services", "GET discovery":
 * the group and resource of a Kubernetes API path (subresource appended), without names or namespaces.
 */
export function requestKey(method: string, pathAndQuery: string): string {
  const [path = '', query = ''] = pathAndQuery.split('?');
  const verb = method === 'GET' && /(^|&)watch=(true|1)/.test(query) ? 'WATCH' : method;
  const parts = path.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis') [group, rest] = [parts[1] ?? '', parts.slice(3)];
  else return `${verb} (non-resource)`;
  if (rest.length === 0) return `${verb} discovery`;
  // namespaces/<ns>/<resource>/… is a namespaced resource; namespaces or namespaces/<name> is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  return `${verb} ${[group, rest[0], rest[2]].filter(Boolean).join('/')}`;
}

/** The verb part of a request key. */
export function verbOf(key: string): string {
  return key.split(' ')[0] ?? key;
}
