// isomorphic-git ends every fetch by naming the server's default branch from the ref advertisement's
// HEAD, and throws "Could not find HEAD." when there is none (a server whose HEAD names a deleted or
// renamed branch, or a repository of tags only) — before it stores the pack. Sluice fetches the
// branch, tag or commit it is told and never uses the server's HEAD, so a fetch's advertisement gets a
// HEAD line at the first ref's commit when the server sent none. Never used for ls-remote answers,
// where a made-up HEAD would resolve `targetRevision: HEAD` to an arbitrary branch.

/** The pkt-lines of a v1 ref advertisement; undefined when the bytes are not one. */
function pktLines(body: Buffer): (Buffer | null)[] | undefined {
  const lines: (Buffer | null)[] = [];
  let at = 0;
  while (at < body.length) {
    const hex = body.toString('latin1', at, at + 4);
    if (!/^[0-9a-f]{4}$/i.test(hex)) return undefined;
    const n = Number.parseInt(hex, 16);
    if (n === 0) {
      lines.push(null);
      at += 4;
      continue;
    }
    if (n < 4 || at + n > body.length) return undefined;
    lines.push(body.subarray(at + 4, at + n));
    at += n;
  }
  return lines;
}

function pkt(line: Buffer | null): Buffer {
  if (line === null) return Buffer.from('0000', 'latin1');
  return Buffer.concat([Buffer.from((line.length + 4).toString(16).padStart(4, '0'), 'latin1'), line]);
}

/**
 * The advertisement (the body of GET info/refs?service=git-upload-pack) with a HEAD line added when it
 * has refs but no HEAD; any other body is returned as it is.
 */
export function withHeadAdvertised(body: Buffer): Buffer {
  const lines = pktLines(body);
  if (!lines) return body;
  // "# service=git-upload-pack" and its flush come first; the first ref line carries the capabilities.
  const first = lines.findIndex((l, i) => l !== null && i > 0 && lines[i - 1] === null);
  const line = lines[first];
  if (first < 0 || !line) return body;
  const text = line.toString('latin1');
  const match = /^([0-9a-f]{40}) ([^\0\n]+)\0([^\n]*)\n?$/.exec(text);
  if (!match) return body;
  const [, sha, name, caps] = match as unknown as [string, string, string, string];
  // A HEAD already advertised, or an empty repository ("capabilities^{}"): nothing to add.
  if (name === 'HEAD' || name === 'capabilities^{}') return body;
  const head = Buffer.from(`${sha} HEAD\0${caps}\n`, 'latin1');
  const ref = Buffer.from(`${sha} ${name}\n`, 'latin1');
  return Buffer.concat([...lines.slice(0, first), head, ref, ...lines.slice(first + 1)].map(pkt));
}
