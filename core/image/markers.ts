// Flux's image policy markers ("setters") in YAML files: a line comment `# {"$imagepolicy": "ns:name"}`
// after a value says which policy owns it and which part of the image reference it holds:
//   image: reg/app:1.0.0 # {"$imagepolicy": "apps:app"}          whole reference (name:tag)
//   tag: 1.0.0           # {"$imagepolicy": "apps:app:tag"}      the tag
//   repository: reg/app  # {"$imagepolicy": "apps:app:name"}     the image name
//   digest: sha256:…     # {"$imagepolicy": "apps:app:digest"}   the manifest digest
// Rewriting is by line, so everything else in the file (comments, order, quoting) stays as it was.

/** What the policy selected, as markers write it. */
export interface ImageSelection {
  /** The image name without tag, e.g. "registry.example.com/team/app". */
  image: string;
  tag: string;
  /** The manifest digest ("sha256:…"), when the registry reported it. */
  digest?: string;
}

/** One value a marker rewrote. */
export interface MarkerChange {
  line: number;
  from: string;
  to: string;
}

/** The policy a marker names, and which part of the reference it holds. */
export interface MarkerRef {
  namespace: string;
  name: string;
  field: 'image' | 'tag' | 'name' | 'digest';
}

// A value (optionally quoted) at the end of `key: ` or `- `, followed by the marker comment.
const MARKER =
  /^(\s*(?:-\s+)?(?:[^\s#'"][^#]*?:\s+)?)(['"]?)([^\s'"#]+)\2(\s+#\s*)(\{\s*"\$imagepolicy"\s*:\s*"([^"]*)"\s*\})(\s*)$/;

/** Parses a marker's "ns:name[:field]"; undefined when it is not one. */
export function parseMarkerRef(text: string): MarkerRef | undefined {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return undefined;
  const [namespace, name, field = 'image'] = parts as [string, string, string?];
  if (field !== 'image' && field !== 'tag' && field !== 'name' && field !== 'digest') return undefined;
  return { namespace, name, field };
}

/** The value a marker's field takes for a selection; undefined for a digest the registry did not give. */
function valueFor(field: MarkerRef['field'], s: ImageSelection): string | undefined {
  if (field === 'tag') return s.tag;
  if (field === 'name') return s.image;
  if (field === 'digest') return s.digest;
  return `${s.image}:${s.tag}`;
}

/** Rewrites the values whose markers name the policy `namespace/name`; answers the text and what changed. */
export function setImageMarkers(
  text: string,
  policy: { namespace: string; name: string },
  selection: ImageSelection,
): { text: string; changes: MarkerChange[] } {
  const changes: MarkerChange[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const m = MARKER.exec(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (!m) continue;
    const ref = parseMarkerRef(m[6] ?? '');
    if (!ref || ref.namespace !== policy.namespace || ref.name !== policy.name) continue;
    const to = valueFor(ref.field, selection);
    const from = m[3] ?? '';
    if (to === undefined || to === from) continue;
    const quote = m[2] ?? '';
    const cr = line.endsWith('\r') ? '\r' : '';
    lines[i] = `${m[1]}${quote}${to}${quote}${m[4]}${m[5]}${m[7]}${cr}`;
    changes.push({ line: i + 1, from, to });
  }
  return { text: lines.join('\n'), changes };
}
