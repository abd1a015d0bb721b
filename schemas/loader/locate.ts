import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { Path } from './path.js';

/** A line and column, both 1-based. */
export interface Position {
  line: number;
  col: number;
}

/** What a path resolves to in the YAML tree: the deepest node reached and, for map entries, its key. */
interface Found {
  node: Node | null;
  key: Node | null;
  /** Segments of the path that were resolved. */
  depth: number;
}

function resolve(doc: Document, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? null;
  return (node as Node | null) ?? null;
}

function walk(doc: Document, path: Path): Found {
  let node = resolve(doc, doc.contents);
  let key: Node | null = null;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      key = pair.key as Node;
      node = resolve(doc, pair.value);
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      key = null;
      node = resolve(doc, item);
    } else break;
    depth++;
  }
  return { node, key, depth };
}

/** Where the field at path is: its key when `prefer` is "key" and it has one, else its value; a path that
 * does not exist resolves to its deepest existing ancestor. */
export function locate(doc: Document, lines: LineCounter, path: Path, prefer: 'key' | 'value'): Position {
  const { node, key } = walk(doc, path);
  const target = prefer === 'key' && key?.range ? key : node?.range ? node : key;
  const offset = target?.range?.[0] ?? doc.range?.[0] ?? 0;
  return lines.linePos(offset);
}

/** The path of the map key that starts at offset, for errors the YAML parser reports by offset only. */
export function pathOfKeyAt(doc: Document, offset: number): Path | undefined {
  const search = (node: unknown, path: Path): Path | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const seg = isScalar(k) ? String(k.value) : '?';
        if (k?.range?.[0] === offset) return [...path, seg];
        const found = search(pair.value, [...path, seg]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        const found = search(item, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(doc.contents, []);
}
