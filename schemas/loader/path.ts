/** A path into a document: map keys and list indexes. */
export type Path = (string | number)[];

const plainKey = /^[A-Za-z_$][\w$-]*$/;

/** Formats a path for people: `spec.analysis.metrics[0].name`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (plainKey.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Splits an ajv instancePath (a JSON pointer) into segments, indexes as numbers where value has lists. */
export function pointerToPath(pointer: string, value: unknown): Path {
  if (pointer === '') return [];
  const path: Path = [];
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      path.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

/** The value at path, or undefined. */
export function valueAt(value: unknown, path: Path): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A key for maps and sets of paths. */
export function pathKey(path: Path): string {
  return path.join('\u0000');
}
