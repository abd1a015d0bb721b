// Turns ajv's errors into one readable message per problem: "must be integer ≥ 1", "unknown field
// (did you mean …?)", "set exactly one of canary, blueGreen, abTesting".
import type { ErrorObject } from 'ajv';
import { didYouMean } from '../../core/did-you-mean.js';
import type { Issue } from './issue.js';
import { pointerToPath } from './path.js';

type Schema = Record<string, unknown>;

const typeNames: Record<string, string> = { object: 'a mapping', array: 'a list', null: 'empty' };

function quoteList(values: unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** "integer ≥ 1", "integer ≥ 0 and ≤ 100", "string": the whole constraint, so one message says what fits. */
function expected(schema: Schema): string {
  const types = ([] as unknown[]).concat(schema.type ?? []).map((t) => typeNames[String(t)] ?? String(t));
  const bounds: string[] = [];
  if (typeof schema.minimum === 'number') bounds.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') bounds.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number') bounds.push(`≤ ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') bounds.push(`< ${schema.exclusiveMaximum}`);
  const base = types.join(' or ') || 'a valid value';
  return bounds.length && !types.includes('string') ? `${base} ${bounds.join(' and ')}` : base;
}

/** The property names of `oneOf`/`anyOf` branches that only say what is required, or undefined. */
function requiredBranches(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const b of branches) {
    const keys = b && typeof b === 'object' ? Object.keys(b) : [];
    if (keys.length !== 1 || keys[0] !== 'required') return undefined;
    names.push(...((b as { required: string[] }).required ?? []));
  }
  return names;
}

function resolveRef(root: Schema, node: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return node;
  return ((root.$defs as Schema)[ref.slice(8)] as Schema) ?? node;
}

function one(e: ErrorObject, value: unknown, root: Schema): Issue | undefined {
  const path = pointerToPath(e.instancePath, value);
  const parent = (e.parentSchema ?? {}) as Schema;
  const props = Object.keys((parent.properties ?? {}) as Schema);
  const p = e.params as Record<string, unknown>;
  const at = (message: string, hint?: string): Issue => ({
    field: path,
    at: path,
    prefer: 'value',
    message,
    ...(hint ? { hint } : {}),
  });
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const hint =
        didYouMean(name, props) ?? (props.length ? `known fields: ${props.join(', ')}` : undefined);
      return {
        field: [...path, name],
        at: [...path, name],
        prefer: 'key',
        message: 'unknown field',
        ...(hint ? { hint } : {}),
      };
    }
    case 'required':
      return {
        field: [...path, String(p.missingProperty)],
        at: path,
        prefer: 'key',
        message: 'missing required field',
      };
    case 'dependentRequired':
      return {
        field: [...path, String(p.property)],
        at: [...path, String(p.property)],
        prefer: 'key',
        message: `can only be used with ${p.missingProperty}`,
      };
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`must be ${expected(parent)}`);
    case 'enum': {
      const options = (e.schema ?? []) as unknown[];
      const hint = typeof e.data === 'string' ? didYouMean(e.data, options.map(String)) : undefined;
      return at(`must be one of: ${quoteList(options)}`, hint);
    }
    case 'const':
      return at(`must be ${JSON.stringify(e.schema)}`);
    case 'pattern':
      return at(
        typeof parent.patternErrorMessage === 'string'
          ? parent.patternErrorMessage
          : `must match ${e.schema}`,
      );
    case 'minLength':
      return at(e.schema === 1 ? 'must not be empty' : `must be at least ${e.schema} characters long`);
    case 'maxLength':
      return at(`must be at most ${e.schema} characters long`);
    case 'minItems':
      return at(`must have at least ${e.schema} item${e.schema === 1 ? '' : 's'}`);
    case 'maxItems':
      return at(`must have at most ${e.schema} item${e.schema === 1 ? '' : 's'}`);
    case 'uniqueItems':
      return at(`must not repeat an item (items ${p.j} and ${p.i} are the same)`);
    case 'minProperties':
      return at(props.length ? `must set at least one of: ${props.join(', ')}` : 'must not be empty');
    case 'oneOf':
    case 'anyOf': {
      const names = requiredBranches(e.schema);
      if (!names) return at(`must match exactly one of the allowed forms`);
      const passing = ([] as unknown[]).concat(p.passingSchemas ?? []).map((i) => names[Number(i)]);
      if (e.keyword === 'anyOf') return at(`must set at least one of: ${names.join(', ')}`);
      if (passing.length > 1)
        return at(`set only one of: ${names.join(', ')}`, `found ${passing.join(' and ')}`);
      return at(`must set exactly one of: ${names.join(', ')}`);
    }
    case 'discriminator': {
      if (p.error !== 'mapping') return undefined; // a missing tag is also reported as a required field
      const tags = ((parent.oneOf ?? []) as Schema[]).map((b) => {
        const branch = resolveRef(root, b);
        return ((branch.properties as Schema)?.[String(p.tag)] as Schema)?.const;
      });
      const hint = typeof p.tagValue === 'string' ? didYouMean(p.tagValue, tags.map(String)) : undefined;
      return {
        ...at(`must be one of: ${quoteList(tags)}`, hint),
        field: [...path, String(p.tag)],
        at: [...path, String(p.tag)],
      };
    }
    case 'if':
      return undefined; // the failing `then` reports its own error
    default:
      return at(e.message ?? `fails ${e.keyword}`);
  }
}

/** Readable issues for ajv's errors on value (validated against root), one per problem. */
export function describeErrors(errors: ErrorObject[], value: unknown, root: Schema): Issue[] {
  // A required-only branch of oneOf/anyOf fails by design whenever another branch is chosen;
  // the oneOf/anyOf error itself says what is wrong.
  const branch = /\/(oneOf|anyOf)\/\d+\/required$/;
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'required' && branch.test(e.schemaPath)) continue;
    const issue = one(e, value, root);
    if (!issue) continue;
    const key = `${issue.field.join('/')}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
