// Generates types.generated.ts from the JSON Schemas, so the types are never written twice.
// `npm run gen:types` writes the file; test/unit/schemas/gen-types.test.ts fails when it is stale.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { kindSchemas, sluiceKinds } from './kinds.js';

/** Path of the generated file. */
export const generatedTypesPath = fileURLToPath(new URL('./types.generated.ts', import.meta.url));

type Schema = Record<string, unknown>;

/** Drops `oneOf`/`anyOf` lists whose branches only say which properties are required: they constrain
 * validation (exactly one of canary, blueGreen, abTesting) but would turn the types into noise. */
function dropRequiredOnlyBranches(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropRequiredOnlyBranches);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    const requiredOnly =
      (key === 'oneOf' || key === 'anyOf') &&
      Array.isArray(value) &&
      value.every((b) => b && typeof b === 'object' && Object.keys(b).join() === 'required');
    if (!requiredOnly) out[key] = dropRequiredOnlyBranches(value);
  }
  // An object that allows no properties at all (trigger.manual) is `{}` to the generator, which
  // means "any non-null value" in TypeScript.
  const props = out.properties as Schema | undefined;
  if (out.type === 'object' && out.additionalProperties === false && Object.keys(props ?? {}).length === 0)
    out.tsType = 'Record<string, never>';
  return out;
}

/** Replaces each `$ref` that carries its own description by the named type (or, for an untitled
 * definition such as a duration, the definition itself): the generator would otherwise declare a
 * numbered copy (StringMap1, StringMap2…) for every differently described use. */
function inlineRefs(node: unknown, defs: Schema): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, defs));
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(rest)) out[key] = inlineRefs(value, defs);
  if (typeof $ref !== 'string') return out;
  if (Object.keys(rest).length === 0) return { $ref };
  const def = defs[$ref.replace('#/$defs/', '')] as Schema;
  return typeof def.title === 'string'
    ? { tsType: def.title, ...out }
    : { ...(inlineRefs(def, defs) as Schema), ...out };
}

/** One schema holding every kind under $defs, so shared definitions become one type each. */
export function combinedSchema(): Schema {
  const defs: Schema = {};
  for (const kind of sluiceKinds) {
    const { $defs, $id: _id, $schema: _schema, ...rest } = kindSchemas[kind].schema as Schema;
    for (const [name, def] of Object.entries(($defs ?? {}) as Schema)) {
      if (name in defs && JSON.stringify(defs[name]) !== JSON.stringify(def))
        throw new Error(`$defs/${name} differs between schema files (${kindSchemas[kind].file})`);
      defs[name] = def;
    }
    defs[kind] = rest;
  }
  defs.SluiceDocument = {
    title: 'SluiceDocument',
    description: 'Any Sluice pipeline file document.',
    oneOf: sluiceKinds.map((kind) => ({ $ref: `#/$defs/${kind}` })),
  };
  // An object root, because the generator declares unreferenced definitions (StringMap, SecretRef…)
  // only for one; and `definitions`, the draft-07 name of `$defs`, which that option reads.
  const combined = dropRequiredOnlyBranches({
    title: 'SluiceSchemaIndex',
    description: 'Every kind by name; it exists so the generator declares all shared types.',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      [...sluiceKinds, 'SluiceDocument'].map((k) => [k, { $ref: `#/$defs/${k}` }]),
    ),
    definitions: inlineRefs(defs, defs),
  });
  return JSON.parse(JSON.stringify(combined).replaceAll('#/$defs/', '#/definitions/')) as Schema;
}

/** Runs Biome on the generated text so it matches the repository's formatting. */
function biomeFormat(text: string): string {
  const run = spawnSync('npx', ['biome', 'format', `--stdin-file-path=${generatedTypesPath}`], {
    input: text,
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  if (run.status !== 0) throw new Error(`biome format failed: ${run.stderr}`);
  return run.stdout;
}

/** The text of types.generated.ts, as it should be committed. */
export async function generateTypes(): Promise<string> {
  const text = await compile(combinedSchema() as JSONSchema, 'SluiceSchemaIndex', {
    bannerComment:
      '// Generated from schemas/*.json by `npm run gen:types` (schemas/gen-types.ts). Do not edit.',
    additionalProperties: false,
    unknownAny: true,
    format: false,
    strictIndexSignatures: true,
    unreachableDefinitions: true,
  });
  return biomeFormat(text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(generatedTypesPath, await generateTypes());
  console.error(`wrote ${generatedTypesPath}`);
}
