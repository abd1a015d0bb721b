// What Argo Rollouts' analysis means in Sluice terms: an AnalysisTemplate metric becomes a
// MetricTemplate (the query) plus a metric check on the Rollout (the condition and arguments).
import type { ParsedDocument } from '../parse.js';
import { valueAt } from '../path.js';
import { secretArgs } from './argo-web-metric.js';
import { type CompatContext, defaultNamespace, list, str } from './context.js';
import { type Conversion, p } from './conversion.js';

/** Name of the MetricTemplate made from metric of an AnalysisTemplate with `count` metrics. */
export function metricTemplateName(template: string, metric: string, count: number): string {
  return count === 1 ? template : `${template}-${metric}`;
}

/** `{{args.x}}` → `{{ variables.x }}`; other placeholders are left for the schema to report. */
export function convertQuery(query: unknown): unknown {
  return typeof query === 'string'
    ? query.replace(/\{\{\s*args\.([A-Za-z0-9_-]+)\s*\}\}/g, '{{ variables.$1 }}')
    : query;
}

/** Every string of a value (a Job spec, labels) with `{{args.x}}` as `{{ variables.x }}`. */
export function convertArgs(value: unknown): unknown {
  if (typeof value === 'string') return convertQuery(value);
  if (Array.isArray(value)) return value.map(convertArgs);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertArgs(v)]));
  return value;
}

/** An Argo (expr) condition as CEL over `result`, or undefined when it uses more than comparisons. */
export function exprToCel(expr: string): string | undefined {
  // Argo's Prometheus provider yields a vector, so conditions index it; Sluice passes the single value.
  // A web metric's value may be a boolean or a numeric string: Sluice reads both as a number (true = 1),
  // so asInt()/asFloat() go, `result == true` compares with 1, and a bare `result` means `result == 1.0`.
  // CEL does not compare a double with an int for equality: whole numbers after == and != become doubles.
  const cel = (/^\s*result\s*$/.test(expr) ? 'result == true' : expr)
    .replace(/\bas(?:Int|Float)\(\s*(result(?:\[0\])?)\s*\)/g, '$1')
    .replace(/\bresult\[0\]/g, 'result')
    .replace(/(==|!=)\s*true\b/g, '$1 1')
    .replace(/(==|!=)\s*false\b/g, '$1 0')
    .replace(/(==|!=)\s*(-?\d+)(?![\d.eE])/g, '$1 $2.0')
    .replace(/\band\b/g, '&&')
    .replace(/\bor\b/g, '||')
    .replace(/\bnot\b/g, '!');
  const words = cel.match(/[A-Za-z_]\w*/g) ?? [];
  const simple =
    /^[\w\s.<>=!&|()+\-*/%]*$/.test(cel) && words.every((w) => ['result', 'true', 'false'].includes(w));
  return simple ? cel : undefined;
}

/** A metric check's successCondition from Argo's successCondition and failureCondition. */
function condition(
  c: Conversion,
  at: string,
  tdoc: ParsedDocument,
  m: Record<string, unknown>,
): string | undefined {
  const s = str(m.successCondition);
  const f = str(m.failureCondition);
  const sc = s === undefined ? undefined : exprToCel(s);
  const fc = f === undefined ? undefined : exprToCel(f);
  if ((s !== undefined && sc === undefined) || (f !== undefined && fc === undefined)) {
    c.error(
      at,
      `metric "${m.name}" has a condition that is more than a comparison of result`,
      `rewrite it in ${tdoc.file} as a comparison, e.g. result[0] >= 0.95`,
    );
    return undefined;
  }
  if (sc !== undefined && fc !== undefined) {
    c.issues.push({
      severity: 'warning',
      field: p(at),
      at: p(at),
      prefer: 'value',
      message: `metric "${m.name}": a result meeting neither condition counts as failed in Sluice (Argo calls it inconclusive)`,
    });
    return `(${sc}) && !(${fc})`;
  }
  if (sc !== undefined) return sc;
  if (fc !== undefined) return `!(${fc})`;
  c.error(at, `metric "${m.name}" has neither successCondition nor failureCondition`);
  return undefined;
}

/** A job metric's check: the Job succeeded (value 1). Argo's job provider reads no conditions. */
function jobThreshold(c: Conversion, at: string, m: Record<string, unknown>): { min: number } {
  if (m.successCondition !== undefined || m.failureCondition !== undefined)
    c.warn(
      at,
      `metric "${m.name}": a job metric passes when its Job succeeds; its conditions are not used (as in Argo)`,
    );
  return { min: 1 };
}

/** The Sluice metric checks for an Argo `{templates, args}` block (each with the path it came from), and
 * the strictest limits they set. */
export function analysisMetrics(
  c: Conversion,
  ctx: CompatContext,
  base: string,
  namespace: string,
): {
  metrics: { value: Record<string, unknown>; from: string }[];
  failureLimit?: number;
  count?: number;
  interval?: string;
} {
  const out: ReturnType<typeof analysisMetrics> = { metrics: [] };
  const args = list(c.take(`${base}.args`)) as Record<string, unknown>[];
  args.forEach((a, i) => {
    if (a.valueFrom !== undefined)
      c.error(
        `${base}.args.${i}.valueFrom`,
        'valueFrom is not converted',
        'give the argument a literal value',
      );
  });
  list(c.peek(`${base}.templates`)).forEach((_, i) => {
    const at = `${base}.templates.${i}`;
    const name = str(c.take(`${at}.templateName`));
    const cluster = c.take(`${at}.clusterScope`) === true;
    const key = cluster ? `cluster/${name}` : `${namespace}/${name}`;
    const tdoc = ctx.analysisTemplates.get(key);
    if (!tdoc) {
      const where = cluster ? `ClusterAnalysisTemplate "${name}"` : `AnalysisTemplate "${name}"`;
      c.error(`${at}.templateName`, `${where} not found${cluster ? '' : ` in namespace "${namespace}"`}`);
      return;
    }
    const tns = str(valueAt(tdoc.value, ['metadata', 'namespace'])) ?? defaultNamespace;
    const metrics = list(valueAt(tdoc.value, ['spec', 'metrics'])) as Record<string, unknown>[];
    const variables: Record<string, string> = {};
    const fromSecrets = secretArgs(valueAt(tdoc.value, ['spec', 'args']));
    for (const ta of list(valueAt(tdoc.value, ['spec', 'args'])) as Record<string, unknown>[]) {
      // A secret argument is no variable: the MetricTemplate names the secret in its header.
      if (fromSecrets.has(String(ta.name))) continue;
      const given = args.find((a) => a.name === ta.name);
      const value = given ? given.value : ta.value;
      if (value === undefined) {
        if (!given?.valueFrom)
          c.error(`${at}.templateName`, `argument "${ta.name}" of AnalysisTemplate "${name}" has no value`);
      } else variables[String(ta.name)] = String(value);
    }
    for (const m of metrics) {
      const value = {
        name: m.name,
        templateRef: {
          name: metricTemplateName(String(name), String(m.name), metrics.length),
          // A ClusterAnalysisTemplate becomes a MetricTemplate in the default namespace.
          namespace:
            (cluster ? defaultNamespace : tns) === namespace ? undefined : cluster ? defaultNamespace : tns,
        },
        variables: Object.keys(variables).length ? variables : undefined,
        ...(valueAt(m, ['provider', 'job']) === undefined
          ? { successCondition: condition(c, `${at}.templateName`, tdoc, m) }
          : { thresholdRange: jobThreshold(c, `${at}.templateName`, m) }),
      };
      out.metrics.push({ value, from: at });
      const limit = typeof m.failureLimit === 'number' ? m.failureLimit : 0;
      out.failureLimit = Math.min(out.failureLimit ?? limit, limit);
      if (typeof m.count === 'number') out.count = Math.max(out.count ?? 0, m.count);
      if (typeof m.interval === 'string') out.interval ??= m.interval;
    }
  });
  return out;
}
