import type { KubernetesObject } from '@kubernetes/client-node';
import picomatch from 'picomatch';
import type { IgnoreDifference } from '../../core/diff/types.js';
import { IgnoreRuleError } from './errors.js';
import { managedFieldSet, removeFieldSet } from './fields-v1.js';
import { parseJsonPointer, removeJsonPointer } from './json-pointer.js';
import { groupOf } from './ref.js';

// Argo CD matches group and kind by glob, and an empty group only matches the core group. A lone
// `*` is checked first because picomatch never matches the empty string, which the core group is.
const glob = (pattern: string | undefined, value: string) =>
  pattern ? pattern === '*' || picomatch.isMatch(value, pattern, { dot: true }) : value === '';

/** Whether a rule applies to an object. */
export function ruleMatches(rule: IgnoreDifference, obj: KubernetesObject): boolean {
  return (
    glob(rule.group, groupOf(obj.apiVersion)) &&
    glob(rule.kind, obj.kind ?? '') &&
    (!rule.name || rule.name === obj.metadata?.name) &&
    (!rule.namespace || rule.namespace === obj.metadata?.namespace)
  );
}

/**
 * Removes, in place, what the matching rules ignore from each of the objects being compared: their
 * JSON pointers, and the fields `live`'s managedFields say the named managers own. `live` is the
 * object as read (with managedFields), `sides` its normalized copy and the desired one.
 */
export function applyIgnoreDifferences(
  rules: IgnoreDifference[],
  live: KubernetesObject | undefined,
  sides: KubernetesObject[],
): void {
  const subject = live ?? sides[0];
  if (!subject) return;
  for (const rule of rules.filter((r) => ruleMatches(r, subject))) {
    const managers = rule.managedFieldsManagers ?? [];
    const owned = live && managers.length > 0 ? managedFieldSet(live, managers) : undefined;
    for (const side of sides) {
      for (const pointer of rule.jsonPointers ?? []) removeJsonPointer(side, pointer);
      if (owned) removeFieldSet(side, owned);
    }
  }
}

/** Throws IgnoreRuleError for a malformed rule, so bad configuration fails before anything is read. */
export function validateIgnoreRules(rules: IgnoreDifference[]): void {
  for (const rule of rules) {
    if (!rule.kind) throw new IgnoreRuleError('an ignoreDifferences rule needs a kind');
    for (const pointer of rule.jsonPointers ?? []) {
      if (parseJsonPointer(pointer).length === 0) {
        throw new IgnoreRuleError(`${rule.kind}: JSON pointer "" would ignore the whole object`);
      }
    }
  }
}
