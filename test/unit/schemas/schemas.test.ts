import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindSchemas, sluiceKinds } from '../../../schemas/kinds.js';

type Node = Record<string, unknown>;

/** Every object-typed schema node with its JSON pointer. */
function objectNodes(node: unknown, at = '#'): [string, Node][] {
  if (!node || typeof node !== 'object') return [];
  const out: [string, Node][] = [];
  const n = node as Node;
  if (n.type === 'object') out.push([at, n]);
  for (const [k, v] of Object.entries(n)) {
    if (k === 'const' || k === 'default' || k === 'enum') continue;
    out.push(...objectNodes(v, `${at}/${k}`));
  }
  return out;
}

describe('schemas', () => {
  it.each(sluiceKinds)('%s has its $id, apiVersion and kind', (kind) => {
    const { file, schema } = kindSchemas[kind];
    expect(schema.$id).toBe(`https://sluice.dev/schemas/v1alpha1/${file}`);
    expect(schema.properties.apiVersion.const).toBe('sluice.dev/v1alpha1');
    expect(schema.properties.kind.const).toBe(kind);
  });

  it.each(sluiceKinds)('%s closes every object and describes every property', (kind) => {
    for (const [at, node] of objectNodes(kindSchemas[kind].schema)) {
      // Free-form maps (labels, helm values, step inputs) say so with a schema or `true`.
      const closed = node.additionalProperties !== undefined || node.discriminator !== undefined;
      expect(closed, `${kind} ${at} sets additionalProperties`).toBe(true);
      for (const [name, prop] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
        const described = typeof prop.description === 'string' || typeof prop.$ref === 'string';
        expect(described, `${kind} ${at}/properties/${name} has a description`).toBe(true);
      }
    }
  });

  it('fixtures with a yaml-language-server modeline name the schema of their kind', () => {
    const dir = new URL('../../fixtures/pipeline-files/valid/', import.meta.url);
    const withModeline = readdirSync(dir).filter((f) =>
      readFileSync(new URL(f, dir), 'utf8').startsWith('# yaml-language-server:'),
    );
    expect(withModeline.length).toBeGreaterThan(0);
    for (const f of withModeline) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const target = /\$schema=(\S+)/.exec(text)?.[1] ?? '';
      const kind = /^kind: (\w+)$/m.exec(text)?.[1] as keyof typeof kindSchemas;
      expect(new URL(target, dir).pathname, f).toBe(
        new URL(`../../../schemas/${kindSchemas[kind].file}`, import.meta.url).pathname,
      );
    }
  });
});
