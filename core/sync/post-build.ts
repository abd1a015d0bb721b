// Flux's post-build variable substitution (Kustomization spec.postBuild), pure so it is tested without a
// cluster. Like kustomize-controller, it substitutes in each object's YAML text and parses the result, so
// `replicas: ${REPLICAS}` becomes a number; `$var` without braces is left alone, `$${var}` is a literal `${var}`.

/** Flux's rule for variable names (kustomize-controller's varNameRegex). */
export const variableName = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Annotation that turns substitution off for one object, as in Flux. */
export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

/** A reference to an undefined variable (strict mode) or a malformed one: the message names the variable, never a value. */
export class SubstitutionError extends Error {
  override name = 'SubstitutionError' as const;
}

// $${...} (an escape), or ${...} up to the first '}' (Flux's envsubst does not nest).
const reference = /\$\$\{|\$\{([^}]*)\}/g;
// NAME, or NAME followed by an operator that supplies a default when the variable is unset or empty.
const withDefault = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:=|:-)(.*))?$/s;

/**
 * Replaces every `${var}` and `${var:=default}` (also `${var:-default}`) in text; an undefined variable
 * without a default throws a SubstitutionError naming it, as Flux's strict substitution does.
 */
export function substitute(text: string, vars: ReadonlyMap<string, string>, where: string): string {
  return text.replace(reference, (_match, body: string | undefined) => {
    if (body === undefined) return '${'; // the escape $${ stands for a literal ${
    const m = withDefault.exec(body);
    if (!m?.[1])
      throw new SubstitutionError(
        `${where}: \${${body}} is not a variable reference: use \${NAME} or \${NAME:=default}, NAME matching ${variableName.source} (write $\${...} for a literal \${...})`,
      );
    const value = vars.get(m[1]);
    if (value !== undefined && (value !== '' || m[2] === undefined)) return value;
    if (m[2] !== undefined) return m[3] ?? '';
    throw new SubstitutionError(
      `${where}: variable ${m[1]} is not defined: set it in postBuild.substitute or a substituteFrom object, or give a default with \${${m[1]}:=value}`,
    );
  });
}

/** Checks variable names from one source (inline, or a ConfigMap or Secret), naming the source and key on failure. */
export function checkVariableNames(names: Iterable<string>, source: string): void {
  for (const name of names)
    if (!variableName.test(name))
      throw new SubstitutionError(
        `${source}: key ${JSON.stringify(name)} is not a variable name: names must match ${variableName.source}`,
      );
}
