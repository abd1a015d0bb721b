// Fills an ApplicationSet's template: every string value's {{ name }} placeholders (fasttemplate style,
// as Argo CD's default templating), keys left as written. A placeholder no parameter fills is an error,
// where Argo CD would leave it in the Application unnoticed.
import type { Params } from './params.js';

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The filled template and the placeholders no parameter filled. */
export interface Filled {
  value: unknown;
  missing: string[];
}

/** A copy of the template with every placeholder replaced by its parameter. */
export function fillTemplate(template: unknown, params: Params): Filled {
  const missing = new Set<string>();
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(placeholder, (whole, name: string) => {
        if (Object.hasOwn(params, name)) return params[name] as string;
        missing.add(name);
        return whole;
      });
    if (Array.isArray(v)) return v.map(fill);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return { value: fill(template), missing: [...missing] };
}
