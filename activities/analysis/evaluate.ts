import { evaluateSuccessCondition } from '../../core/analysis/condition.js';
import type { AnalysisCheck, CheckResult, Verdict } from '../../core/analysis/types.js';
import type { MetricValue } from '../../plugins/metrics/types.js';

/** A number as people read it: at most three decimals. */
export function formatNumber(n: number): string {
  return String(Number(n.toFixed(3)));
}

/** Judges a query's outcome against the check's thresholdRange and successCondition. */
export function evaluateCheck(check: AnalysisCheck, query: string, outcome: MetricValue): CheckResult {
  const base = {
    name: check.name,
    query,
    ...(check.thresholdRange && { thresholdRange: check.thresholdRange }),
    ...(check.successCondition && { successCondition: check.successCondition }),
  };
  // No data is never a pass: a canary that served nothing has proven nothing.
  if (outcome.kind === 'noData')
    return { ...base, verdict: 'Inconclusive', message: `${check.name}: no data (${outcome.reason})` };
  const value = outcome.value;
  // Workflow payloads are JSON, where ±Infinity would turn into null: such a value lives in the message only.
  const kept = Number.isFinite(value) ? { value } : {};
  const shown = `${check.name} ${formatNumber(value)}`;
  const failures: string[] = [];
  const passes: string[] = [];
  const { min, max } = check.thresholdRange ?? {};
  if (min !== undefined) (value < min ? failures : passes).push(`${value < min ? '<' : '>='} min ${min}`);
  if (max !== undefined) (value > max ? failures : passes).push(`${value > max ? '>' : '<='} max ${max}`);
  if (check.successCondition) {
    const cel = evaluateSuccessCondition(check.successCondition, value);
    if ('error' in cel)
      return {
        ...base,
        ...kept,
        verdict: 'Error',
        message: `${check.name}: successCondition ${JSON.stringify(check.successCondition)}: ${cel.error}`,
      };
    (cel.value ? passes : failures).push(
      `${cel.value ? 'meets' : 'fails'} ${JSON.stringify(check.successCondition)}`,
    );
  }
  if (failures.length > 0)
    return { ...base, ...kept, verdict: 'Failed', message: `${shown} ${failures.join(', ')}` };
  return { ...base, ...kept, verdict: 'Successful', message: `${shown} ${passes.join(', ')}` };
}

/** The verdict of a round: Failed if any check Failed or Errored, else Inconclusive if any was, else Successful. */
export function overallVerdict(results: readonly { verdict: Verdict }[]): Exclude<Verdict, 'Error'> {
  if (results.some((r) => r.verdict === 'Failed' || r.verdict === 'Error')) return 'Failed';
  if (results.some((r) => r.verdict === 'Inconclusive')) return 'Inconclusive';
  return 'Successful';
}
