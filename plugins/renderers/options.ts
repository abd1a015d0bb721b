import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import application from '../../schemas/application.json' with { type: 'json' };
import type { RenderDirectory, RenderHelm, RenderKustomize } from '../../schemas/types.generated.js';
import { RenderError } from './renderer.js';

/** The render options of each built-in renderer, as the Application schema defines them. */
export interface BuiltinOptions {
  directory: Omit<RenderDirectory, 'plugin'>;
  kustomize: Omit<RenderKustomize, 'plugin'>;
  helm: Omit<RenderHelm, 'plugin'>;
}

const definitions: Record<keyof BuiltinOptions, string> = {
  directory: 'renderDirectory',
  kustomize: 'renderKustomize',
  helm: 'renderHelm',
};

let ajv: Ajv2020 | undefined;

function validator(plugin: keyof BuiltinOptions): ValidateFunction {
  if (!ajv) {
    // The loader's Ajv settings, so options are judged exactly as the pipeline file was.
    // verbose: errors carry the value and its schema, for patternErrorMessage and the value in messages.
    ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      discriminator: true,
      verbose: true,
    });
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    ajv.addSchema(application);
  }
  const validate = ajv.getSchema(`${application.$id}#/$defs/${definitions[plugin]}`);
  if (!validate) throw new Error(`schemas/application.json has no $defs/${definitions[plugin]}`);
  return validate;
}

/** Checks a built-in renderer's options against the schema's $defs, so an option is never silently ignored. */
export function checkOptions<P extends keyof BuiltinOptions>(
  plugin: P,
  options: Record<string, unknown>,
): BuiltinOptions[P] {
  // The loader has validated the pipeline file already; this guards callers that build options in code.
  const validate = validator(plugin);
  if (validate({ ...options, plugin })) return options as BuiltinOptions[P];
  const problems = (validate.errors ?? []).map((e) => describe(plugin, e));
  throw new RenderError(`invalid ${plugin} render options: ${problems.join('; ')}`);
}

function describe(plugin: keyof BuiltinOptions, e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') {
    const defs = application.$defs as Record<string, { properties?: object }>;
    const known = Object.keys(defs[definitions[plugin]]?.properties ?? {});
    const allowed = known.filter((k) => k !== 'plugin').join(', ');
    return `unknown option "${(e.params as { additionalProperty: string }).additionalProperty}" (${plugin} takes ${allowed})`;
  }
  const field = e.instancePath.slice(1).replaceAll('/', '.') || 'options';
  const custom = (e.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
  // The value is named: a rejected option is often an attack, and the message says what was refused.
  const value = typeof e.data === 'string' ? ` (got ${JSON.stringify(e.data)})` : '';
  if (e.keyword === 'pattern' && custom) return `${field} ${custom}${value}`;
  return `${field} ${e.message ?? 'is invalid'}${value}`;
}
