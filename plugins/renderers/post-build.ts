import type { KubernetesObject } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { SUBSTITUTE_ANNOTATION, SubstitutionError, substitute } from '../../core/sync/post-build.js';
import { RenderError } from './renderer.js';

/**
 * Applies Flux's post-build substitution to rendered objects, each through its YAML text as
 * kustomize-controller does; objects annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left
 * alone. An undefined variable fails the render naming the object and the variable.
 */
export function substituteObjects(
  objects: KubernetesObject[],
  vars: ReadonlyMap<string, string>,
): KubernetesObject[] {
  return objects.map((o) => {
    if (o.metadata?.annotations?.[SUBSTITUTE_ANNOTATION] === 'disabled') return o;
    const where = `${o.kind ?? 'object'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`;
    const text = stringify(o, { lineWidth: 0 });
    let out: string;
    try {
      out = substitute(text, vars, where);
    } catch (e) {
      if (e instanceof SubstitutionError) throw new RenderError(`postBuild: ${e.message}`);
      throw e;
    }
    if (out === text) return o;
    let parsed: unknown;
    try {
      parsed = parse(out, { maxAliasCount: 100 });
    } catch {
      // The parser's message quotes the text, which may hold a Secret's values: it is not passed on.
      throw new RenderError(
        `postBuild: ${where} is not valid YAML after substitution: a substituted value breaks its syntax (quote the \${...} reference)`,
      );
    }
    // A value that holds YAML syntax can change the object's shape; it must still be one object.
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new RenderError(`postBuild: ${where} is no longer an object after substitution`);
    return parsed as KubernetesObject;
  });
}
