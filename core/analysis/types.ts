import type { MetricCheck, MetricTemplateSpec } from '../../schemas/types.generated.js';
import type { Caller } from '../identity.js';
import type { TrafficProviderName } from '../traffic/providers.js';

/** A Rollout's analysis interval when spec.analysis.interval is not set (as Flagger's). */
export const DEFAULT_ANALYSIS_INTERVAL = '1m';

/** Argo Rollouts' analysis phases: a check, and a whole round, ends in one of these. */
export type Verdict = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** The rollout whose canary is analysed, every name resolved. */
export interface AnalysisTarget {
  /** The Rollout's name ({{ name }}). */
  name: string;
  namespace: string;
  /** The target Deployment, i.e. the canary ({{ target }}); the built-ins measure it. */
  target: string;
  /** The primary Deployment, `<target>-primary`. */
  primary: string;
  /** The apex Service ({{ service }}). */
  service: string;
  /** Traffic provider of the rollout: it decides which telemetry the built-in checks read. */
  provider: TrafficProviderName;
  /** The user's Ingress (nginx only), whose canary traffic the nginx built-ins measure. */
  ingress?: string;
}

/** A metric check with its MetricTemplate already resolved by the caller (absent for the built-ins). */
export interface AnalysisCheck extends Omit<MetricCheck, 'templateRef'> {
  template?: MetricTemplateSpec;
}

/** Input of runAnalysis: one round of every check. */
export interface AnalysisInput {
  /** Whose rollout: MetricTemplate secrets are used under its repository's and Project's grants. */
  caller: Caller;
  rollout: AnalysisTarget;
  checks: AnalysisCheck[];
  /** Window of checks that set none ({{ interval }}); default "1m". */
  interval?: string;
  /** The destination cluster the rollout runs in, for job metrics' Project check; default "in-cluster". */
  cluster?: string;
  /**
   * Identifies this round across retries, naming job metrics' Jobs; default: the activity's workflow
   * run and activity id (set it when calling outside Temporal).
   */
  measurement?: string;
}

/** The outcome of one check. */
export interface CheckResult {
  name: string;
  verdict: Verdict;
  /** One line for people, e.g. "request-success-rate 87.5 < min 99". */
  message: string;
  /** The query after templating, when templating succeeded. */
  query?: string;
  /** The query's value; absent on no data, an error or an infinite value (JSON has no Infinity). */
  value?: number;
  thresholdRange?: MetricCheck['thresholdRange'];
  successCondition?: string;
}

/** One round of analysis: every check's result and the overall verdict. */
export interface AnalysisRound {
  /** Failed if any check Failed or Errored, else Inconclusive if any was, else Successful. */
  verdict: Verdict;
  checks: CheckResult[];
}
