import { condition, log, workflowInfo } from '@temporalio/workflow';
import type { WebhookResult, WebhookSpec } from '../../activities/webhooks/payload.js';
import { isJobMetric, jobTimeoutMs } from '../../core/analysis/job-metric.js';
import type { AnalysisCheck, AnalysisTarget, CheckResult } from '../../core/analysis/types.js';
import type { FailedMetric, SluiceEvent } from '../../core/events/event.js';
import { type EventSubject, rolloutCheckFailed } from '../../core/events/kinds.js';
import type { Caller } from '../../core/identity.js';
import type { AlertProvider } from '../../schemas/types.generated.js';
import { activities, rolloutCheck, rolloutJobCheck } from '../activity-options.js';
import {
  type AlertRoute,
  type AlertState,
  newAlertState,
  notify,
  resolveAlertRoutes,
} from '../shared/alerts.js';
import { analysisMetrics } from '../shared/analysis-metrics.js';
import { clusterTaskQueue, IN_CLUSTER } from '../shared/cluster-queue.js';
import { durationMs } from '../shared/duration.js';
import { untilInterrupted } from '../shared/until-interrupted.js';
import type { FailedCheck, RolloutInput, RolloutStatus } from './messages.js';
import type { MetricCheck } from './types.js';

/** The outcome of one analysis round. */
export interface RoundResult {
  passed: boolean;
  /** The check that failed this round (counted in failedChecks). */
  failed?: FailedCheck;
  /** A rollback webhook asked to roll back now. */
  rollback?: FailedCheck;
}

/** The activities of checks and announcements, each call with a summary for the Temporal UI. */
const calls = (summary: string) => activities(rolloutCheck, { summary });

/**
 * The rollout's questions to the outside world — webhooks, gates, metric analysis — and its
 * announcements. Counts failed checks into the shared status; never decides promotion itself.
 */
export class RolloutChecks {
  private readonly alerts: AlertState = newAlertState();
  private readonly routes: AlertRoute[];

  constructor(
    private readonly input: RolloutInput,
    private readonly st: RolloutStatus,
    private readonly intervalMs: number,
    private readonly interrupted: () => boolean,
  ) {
    const providers = Object.entries(input.alertProviders).map(([key, spec]) => {
      const [namespace, name] = key.split('/') as [string, string];
      return {
        apiVersion: 'sluice.dev/v1alpha1',
        kind: 'AlertProvider',
        metadata: { namespace, name },
        spec,
      } as AlertProvider;
    });
    const { routes, missing } = resolveAlertRoutes(
      input.spec.analysis?.alerts,
      providers,
      { repoId: input.repoId, project: input.project },
      input.rolloutNamespace,
    );
    this.routes = routes;
    if (missing.length > 0) log.warn('alerts whose provider is missing are skipped', { missing });
  }

  private webhooks(type: string): WebhookSpec[] {
    return (this.input.spec.analysis?.webhooks ?? [])
      .filter((h) => (h.type ?? 'rollout') === type)
      .map((h) => ({
        name: h.name,
        type,
        url: h.url,
        timeoutMs: durationMs(h.timeout ?? '60s'),
        retries: h.retries ?? 2,
        ...(h.metadata ? { metadata: h.metadata as Record<string, string> } : {}),
        ...(h.secretRef ? { secretRef: h.secretRef } : {}),
      }));
  }

  private payload(type: string, extra: Record<string, string> = {}) {
    return {
      name: this.input.target.rollout,
      namespace: this.input.target.namespace,
      phase: this.st.phase,
      checksum: this.input.checksum,
      type,
      metadata: extra,
    };
  }

  /** Whose rollout this is: its secrets are used under the Application's repository and Project. */
  private caller(): Caller {
    return { repoId: this.input.repoId, project: this.input.project };
  }

  private record(hook: WebhookSpec, result: WebhookResult): void {
    this.st.webhooks = {
      ...this.st.webhooks,
      [hook.name]: { type: hook.type, ok: result.ok, message: result.message },
    };
  }

  /** Calls every hook of a type; answers the first failure, or undefined when all answered 2xx. */
  async hooks(type: string, extra: Record<string, string> = {}): Promise<WebhookResult | undefined> {
    for (const hook of this.webhooks(type)) {
      const result = await calls(`${type} webhook ${hook.name}`).callWebhook({
        hook,
        caller: this.caller(),
        payload: this.payload(type, { ...(hook.metadata ?? {}), ...extra }),
      });
      this.record(hook, result);
      if (!result.ok) return result;
    }
    return undefined;
  }

  /** Waits, one interval at a time, until every gate of this type answers 2xx; false when interrupted. */
  async gate(type: 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion'): Promise<boolean> {
    if (this.webhooks(type).length === 0) return true;
    for (;;) {
      const refused = await this.hooks(type);
      if (!refused) {
        if (this.st.phase === 'Waiting') this.st.phase = 'Progressing';
        return true;
      }
      this.st.phase = 'Waiting';
      this.st.message = `waiting for ${refused.message}`;
      if (await condition(this.interrupted, this.intervalMs)) return false;
    }
  }

  /** Runs the pre-rollout hooks until they pass, counting each failure; answers the failure that exhausts the threshold. */
  async preRollout(): Promise<FailedCheck | undefined> {
    for (;;) {
      const failed = await this.hooks('pre-rollout');
      if (!failed) return undefined;
      const check = await this.countFailure({ name: 'pre-rollout', message: failed.message });
      if (this.st.failedChecks >= this.st.threshold) return check;
      if (await condition(this.interrupted, this.intervalMs)) return undefined;
    }
  }

  /** One analysis round: the rollback gate, the load-test hooks, then the metric checks. */
  async round(metrics: MetricCheck[] | undefined): Promise<RoundResult> {
    for (const hook of this.webhooks('rollback')) {
      const r = await calls(`rollback webhook ${hook.name}`).callWebhook({
        hook,
        caller: this.caller(),
        payload: this.payload('rollback'),
      });
      this.record(hook, r);
      if (r.ok)
        return {
          passed: false,
          rollback: { name: hook.name, message: `rollback webhook ${hook.name} asked to roll back` },
        };
    }
    const load = await this.hooks('rollout');
    if (load)
      return {
        passed: false,
        failed: await this.countFailure({ name: 'rollout-webhook', message: load.message }),
      };
    const checks = metrics ?? this.input.spec.analysis?.metrics ?? [];
    this.st.analysisRounds++;
    if (checks.length === 0) {
      this.st.lastVerdict = 'Successful';
      return { passed: true };
    }
    const t = this.input.target;
    const resolved: AnalysisCheck[] = checks.map(({ templateRef, ...check }) => ({
      ...check,
      ...(templateRef
        ? {
            template:
              this.input.metricTemplates[
                `${templateRef.namespace ?? this.input.rolloutNamespace}/${templateRef.name}`
              ],
          }
        : {}),
    }));
    const summary = `analysis round ${this.st.analysisRounds} at ${this.st.canaryWeight}%: ${checks.map((c) => c.name).join(', ')}`;
    // A round with job metrics runs on the destination cluster's queue (its Jobs run there) for as long as
    // its longest Job may take. Rollouts started before job metrics existed have none, so they replay as before.
    const jobs = resolved.filter((c) => isJobMetric(c.template));
    const call =
      jobs.length === 0
        ? calls(summary)
        : activities(rolloutJobCheck(Math.max(...jobs.map((c) => jobTimeoutMs(c.template)))), {
            summary,
            taskQueue: clusterTaskQueue(this.input.cluster),
          });
    const input = {
      caller: this.caller(),
      rollout: {
        name: t.rollout,
        namespace: t.namespace,
        target: t.target,
        primary: `${t.target}-primary`,
        service: t.service.name,
        provider: t.provider as AnalysisTarget['provider'],
        ...(t.ingress ? { ingress: t.ingress } : {}),
      },
      checks: resolved,
      ...(jobs.length > 0 && { cluster: this.input.cluster ?? IN_CLUSTER }),
    };
    const round =
      jobs.length === 0
        ? await call.runAnalysis(input)
        : await untilInterrupted(() => call.runAnalysis(input), this.interrupted);
    // Aborted or superseded while its Jobs ran: the activity deletes them; the round counts for nothing.
    if (!round) return { passed: false };
    this.st.lastVerdict = round.verdict;
    analysisMetrics.round(
      t.rollout,
      this.input.app,
      round.checks.map((c) => ({ metric: c.name, result: c.verdict })),
    );
    this.st.lastChecks = round.checks.map((c) => ({
      name: c.name,
      verdict: c.verdict,
      ...(c.value !== undefined ? { value: c.value } : {}),
      ...(conditionOf(c) ? { condition: conditionOf(c) } : {}),
      message: c.message,
    }));
    if (round.verdict === 'Successful') return { passed: true };
    const bad = round.checks.find((r) => r.verdict !== 'Successful');
    return {
      passed: false,
      failed: await this.countFailure({
        name: bad?.name ?? 'analysis',
        ...(bad?.value !== undefined ? { value: bad.value } : {}),
        ...(conditionOf(bad) ? { condition: conditionOf(bad) } : {}),
        message: bad?.message ?? `analysis ${round.verdict}`,
      }),
    };
  }

  private async countFailure(check: FailedCheck): Promise<FailedCheck> {
    this.st.failedChecks++;
    this.st.message = `check failed (${this.st.failedChecks}/${this.st.threshold}): ${check.message}`;
    await this.announce(
      rolloutCheckFailed(this.subject, {
        ...(failedMetric(check) ? { metric: failedMetric(check) } : { reason: check.message }),
        failed: this.st.failedChecks,
        threshold: this.st.threshold,
        weight: this.st.canaryWeight,
      }),
    );
    return check;
  }

  /** Announces an event to the log, the Rollout's alerts (by severity, repeats collapsed) and its event webhooks; never fails the rollout. */
  async announce(event: SluiceEvent): Promise<void> {
    const full: SluiceEvent = {
      ...event,
      workflowId: workflowInfo().workflowId,
      fields: { ...event.fields, rollout: this.input.target.rollout, weight: this.st.canaryWeight },
    };
    try {
      await calls(`event ${event.type}`).emitEvent(full);
      await notify(this.alerts, this.routes, full);
      await this.hooks('event', { eventType: event.type, eventMessage: event.message });
    } catch (err) {
      // Announcements are best effort: a broken receiver must not stop a rollout.
      log.warn('announcement failed', { event: event.type, error: String(err) });
    }
  }

  /** Who the rollout's events are about. */
  get subject(): EventSubject {
    return { subject: this.input.app, revision: this.input.revision, workflowId: workflowInfo().workflowId };
  }
}

/** The condition a check missed, for messages: "min 99 max 500" or the CEL expression. */
function conditionOf(r: CheckResult | undefined): string | undefined {
  if (!r) return undefined;
  if (r.successCondition) return r.successCondition;
  const range = r.thresholdRange;
  if (!range) return undefined;
  return [
    range.min !== undefined ? `min ${range.min}` : '',
    range.max !== undefined ? `max ${range.max}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A failed metric for alerts: name, value and the condition it missed (only when the check had a value). */
export function failedMetric(check: FailedCheck): FailedMetric | undefined {
  if (check.value === undefined) return undefined;
  return { name: check.name, value: check.value, threshold: check.condition ?? '' };
}
