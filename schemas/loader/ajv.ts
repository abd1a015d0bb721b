import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { kindSchemas, type SluiceKind } from '../kinds.js';

let validators: Map<SluiceKind, ValidateFunction> | undefined;

/** Compiles every kind's schema once, reporting all errors with the schema nodes that raised them. */
function compileAll(): Map<SluiceKind, ValidateFunction> {
  // strictRequired is off because `oneOf: [{required: [canary]}, …]` names properties declared beside it.
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    discriminator: true,
    allowUnionTypes: true,
    strict: true,
    strictRequired: false,
  });
  // Editors (VS Code, yaml-language-server) show patternErrorMessage; the loader does too.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  const out = new Map<SluiceKind, ValidateFunction>();
  for (const [kind, { schema }] of Object.entries(kindSchemas))
    out.set(kind as SluiceKind, ajv.compile(schema));
  return out;
}

/** Validates a document against its kind's schema; returns every error (none when valid). */
export function validateKind(kind: SluiceKind, value: unknown): ErrorObject[] {
  validators ??= compileAll();
  const validate = validators.get(kind);
  if (!validate) throw new Error(`no schema for kind ${kind}`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
