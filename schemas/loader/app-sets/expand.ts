// An ApplicationSet becomes Application candidates: one per parameter set of each generator, the
// template filled in, located at the set's template so a generated Application's problems name the
// set's file and line (and the generator element, errorOf adds it). The loader then checks each like
// a hand-written Application: schema, rules, names, references and Projects.
import type { ApplicationSet } from '../../types.generated.js';
import type { Candidate } from '../candidate.js';
import { defaultNamespace } from '../compat/context.js';
import { fieldIssue, type Issue } from '../issue.js';
import { OriginMap } from '../origin.js';
import type { GeneratedBy } from '../types.js';
import { generate } from './generate.js';
import type { GeneratorInputs } from './inputs.js';
import { fillTemplate } from './template.js';

/** The Applications a set generates, and the problems that kept some from being generated. */
export interface Expansion {
  generated: Candidate[];
  issues: Issue[];
}

const templateAt = ['spec', 'template'];

/** Expands one schema-valid ApplicationSet candidate. */
export function expandSet(set: Candidate, inputs: GeneratorInputs): Expansion {
  const value = set.value as unknown as ApplicationSet;
  const origin = new OriginMap();
  origin.set([], templateAt);
  const base = {
    set: `${value.metadata.namespace ?? defaultNamespace}/${value.metadata.name}`,
    policy: value.spec.syncPolicy?.applicationsSync ?? 'sync',
    preserve: value.spec.syncPolicy?.preserveResourcesOnDeletion ?? false,
  } satisfies Omit<GeneratedBy, 'element'>;
  const out: Expansion = { generated: [], issues: [] };
  value.spec.generators.forEach((g, i) => {
    const { sets, issues } = generate(g, ['spec', 'generators', i], inputs);
    out.issues.push(...issues);
    for (const { params, element } of sets) {
      const { value: filled, missing } = fillTemplate(value.spec.template, params);
      if (missing.length) {
        const names = missing.map((m) => `{{${m}}}`).join(', ');
        out.issues.push(
          fieldIssue(
            templateAt,
            `${element}: no parameter fills ${names} (this element has ${Object.keys(params).sort().join(', ') || 'none'})`,
          ),
        );
        continue;
      }
      const template = filled as { metadata: object; spec: object };
      out.generated.push({
        kind: 'Application',
        value: { apiVersion: value.apiVersion, kind: 'Application', ...template },
        doc: set.doc,
        origin,
        generated: { ...base, element },
      });
    }
  });
  return out;
}
