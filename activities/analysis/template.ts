import { didYouMean } from '../../core/did-you-mean.js';

/** What a query's placeholders are filled from. */
export interface QueryModel {
  name: string;
  namespace: string;
  target: string;
  service: string;
  interval: string;
  /** Only the nginx built-ins use {{ ingress }}. */
  ingress?: string;
  variables?: Record<string, string>;
}

/** A query uses a placeholder or variable that has no value. */
export class QueryTemplateError extends Error {
  override name = 'QueryTemplateError' as const;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FIELDS = ['target', 'name', 'namespace', 'service', 'interval', 'ingress'] as const;

/** How a text is filled: what messages call it, and how values are escaped (a URL's are URL-encoded). */
export interface RenderOptions {
  what?: string;
  encode?: (value: string) => string;
}

/** Fills {{ target }}, {{ name }}, {{ namespace }}, {{ service }}, {{ interval }} and {{ variables.NAME }}. */
export function renderQuery(template: string, model: QueryModel, opts: RenderOptions = {}): string {
  const what = opts.what ?? 'query';
  const encode = opts.encode ?? ((v: string) => v);
  return template.replace(PLACEHOLDER, (_, key: string) => {
    if (key.startsWith('variables.')) {
      const name = key.slice('variables.'.length);
      const vars = model.variables ?? {};
      if (Object.hasOwn(vars, name)) return encode(vars[name] as string);
      const hint = didYouMean(name, Object.keys(vars));
      throw new QueryTemplateError(
        `${what} uses {{ variables.${name} }} but the check sets no variable "${name}"${hint ? ` (${hint})` : ''}`,
      );
    }
    const field = FIELDS.find((f) => f === key);
    const value = field === undefined ? undefined : model[field];
    if (value !== undefined) return encode(value);
    if (field !== undefined)
      throw new QueryTemplateError(`${what} uses {{ ${key} }}, which has no value here`);
    const hint = didYouMean(key, [...FIELDS.filter((f) => f !== 'ingress'), 'variables.NAME']);
    throw new QueryTemplateError(
      `${what} uses an unknown placeholder {{ ${key} }}${hint ? ` (${hint})` : ''}`,
    );
  });
}
