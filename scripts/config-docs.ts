// docs/config.md from the worker config's JSON Schema: every key once, with its type and the schema's
// description, so the doc cannot drift from what the worker accepts (a unit test compares the two).
import { workerConfigSchema } from '../worker/config-schema.js';

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  description?: string;
  const?: unknown;
  required?: string[];
};

/** One documented key: its dotted path (lists as `[]`), a type summary and the description. */
export interface ConfigKeyDoc {
  key: string;
  type: string;
  description: string;
}

function typeOf(s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.oneOf) return [...new Set(s.oneOf.map(typeOf))].join(' or ');
  const types = ([] as string[]).concat(s.type ?? []);
  if (types.includes('array')) return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  return types.map((t) => (t === 'object' ? 'mapping' : t)).join(' or ') || 'any';
}

/** The mappings a schema node describes: itself, its list items', and its oneOf branches'. */
function mappings(s: Schema): Schema[] {
  if (s.properties) return [s];
  if (s.items) return mappings(s.items);
  return (s.oneOf ?? []).flatMap(mappings);
}

/** Every key of the worker config, depth first, each once (a key several oneOf branches share is merged). */
export function configKeys(
  schema: Schema = workerConfigSchema as unknown as Schema,
  prefix = '',
): ConfigKeyDoc[] {
  const out: ConfigKeyDoc[] = [];
  const seen = new Map<string, ConfigKeyDoc>();
  for (const m of mappings(schema))
    for (const [name, child] of Object.entries(m.properties ?? {})) {
      const key = `${prefix}${name}`;
      const known = seen.get(key);
      if (known) {
        // A discriminator (secrets[].type) is one key whose values are the branches' consts.
        known.type = known.type.replace(/( \(required\))?$/, ` or ${typeOf(child)}$1`);
        continue;
      }
      const required = m.required?.includes(name) ? ' (required)' : '';
      const doc = { key, type: `${typeOf(child)}${required}`, description: child.description ?? '' };
      seen.set(key, doc);
      out.push(doc);
      const list = child.items || child.oneOf?.some((b) => b.items) ? '[]' : '';
      out.push(...configKeys(child, `${key}${list}.`));
    }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The whole of docs/config.md. */
export function configDocs(): string {
  const cells = [
    ['Key', 'Type', 'Description'],
    ...configKeys().map((k) => [`\`${k.key}\``, cell(k.type), cell(k.description)]),
  ];
  // Columns padded to one width each, as Biome formats Markdown tables.
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((r) => [...(r[i] as string)].length)));
  const row = (r: string[]) =>
    `| ${r.map((c, i) => c + ' '.repeat((widths[i] as number) - [...c].length)).join(' | ')} |`;
  const [head, ...body] = cells as [string[], ...string[][]];
  return [
    '# Worker config reference',
    '',
    '<!-- Generated from worker/config-schema.ts by `npm run gen:config-docs`; edit the schema, not this file. -->',
    '',
    'The file `sluice worker --config FILE` reads (YAML). Keys are optional unless marked (required) — within',
    'the mapping or list entry they belong to; a key inside a list is written `list[].key`. Environment variables',
    'named beside a key override it. Errors name the file, line, column and key, with the nearest known key for',
    'a misspelt one. The Helm chart (deploy/helm/sluice) passes its `config` value through as this file.',
    '',
    row(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...body.map(row),
    '',
  ].join('\n');
}
