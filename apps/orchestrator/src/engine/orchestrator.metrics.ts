import { BoundedLabelValues } from '@sandcastle/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class OrchestratorMetrics {
  readonly runsStarted: Counter;
  readonly runsFinished: Counter<'status'>;
  readonly stepsFinished: Counter<'status'>;
  readonly runDuration: Histogram;
  readonly lostAttempts: Counter;
  readonly transitionDuration: Histogram<'kind'>;
  readonly batchSize: Histogram;
  readonly outboxFailed: Counter;
  readonly outboxSetAside: Gauge;
  readonly outboxPublishFailures: Counter;
  readonly reconcilerFailures: Counter<'sweep' | 'scope'>;
  readonly capacityWaits: Counter;
  readonly lateResults: Counter;
  readonly workflowRunsFinished: Counter<'workflow' | 'status'>;
  readonly workflowCost: Counter<'workflow'>;
  readonly stepRetries: Counter;
  readonly budgetStops: Counter;
  readonly outboxPending: Gauge;
  readonly outboxOldestAge: Gauge;
  /** Workflow names are chosen by tenants: at most 100 series per process, then `_other`. */
  readonly workflowLabel = new BoundedLabelValues(100, 64);

  constructor(registry: Registry) {
    const p = 'sandcastle_orchestrator_';
    this.runsStarted = new Counter({
      name: `${p}runs_started_total`,
      help: 'Runs started.',
      registers: [registry],
    });
    this.runsFinished = new Counter({
      name: `${p}runs_finished_total`,
      help: 'Runs that reached a final status.',
      labelNames: ['status'],
      registers: [registry],
    });
    this.stepsFinished = new Counter({
      name: `${p}steps_finished_total`,
      help: 'Steps and fan-out items that reached a final status.',
      labelNames: ['status'],
      registers: [registry],
    });
    this.runDuration = new Histogram({
      name: `${p}run_duration_seconds`,
      help: 'Wall time from a run starting to its final status.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    });
    this.lostAttempts = new Counter({
      name: `${p}reconciler_lost_attempts_total`,
      help: 'Attempts failed by the reconciler because no result came before their deadline.',
      registers: [registry],
    });
    this.transitionDuration = new Histogram({
      name: `${p}transition_duration_seconds`,
      help: 'Time of one transition transaction (lock, apply, persist, commit, publish); kind=batch for several operations.',
      labelNames: ['kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: `${p}transition_batch_size`,
      help: 'Operations (results, starts) written in one transaction.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    });
    this.outboxFailed = new Counter({
      name: `${p}outbox_failed_total`,
      help: 'Outbox messages set aside after repeated publish failures (not retried automatically; see npm run check:consistency).',
      registers: [registry],
    });
    this.outboxSetAside = new Gauge({
      name: `${p}outbox_set_aside_rows`,
      help: 'Outbox messages currently set aside, as counted by the last relay pass (the same in every replica).',
      registers: [registry],
    });
    this.outboxPublishFailures = new Counter({
      name: `${p}outbox_publish_failures_total`,
      help: 'Failed tries to publish an outbox message (after commit or by the relay).',
      registers: [registry],
    });
    this.reconcilerFailures = new Counter({
      name: `${p}reconciler_failures_total`,
      help: 'Reconciler failures: a whole sweep (scope=sweep) or one run in a sweep (scope=run); the rest of the tick goes on.',
      labelNames: ['sweep', 'scope'],
      registers: [registry],
    });
    this.capacityWaits = new Counter({
      name: `${p}attempts_waiting_for_capacity_total`,
      help: 'Attempts that had to wait because their tenant was at MAX_RUNNING_ATTEMPTS_PER_TENANT.',
      registers: [registry],
    });
    this.lateResults = new Counter({
      name: `${p}late_results_total`,
      help: 'Real results of attempts declared lost that arrived later: their cost was added to the run.',
      registers: [registry],
    });
    this.workflowRunsFinished = new Counter({
      name: `${p}workflow_runs_finished_total`,
      help: 'Runs that reached a final status, by workflow name (first 100 names per process, then _other) and status.',
      labelNames: ['workflow', 'status'],
      registers: [registry],
    });
    this.workflowCost = new Counter({
      name: `${p}workflow_cost_usd_total`,
      help: 'USD spent by finished runs, by workflow name (first 100 names per process, then _other).',
      labelNames: ['workflow'],
      registers: [registry],
    });
    this.stepRetries = new Counter({
      name: `${p}step_retries_total`,
      help: 'Failed step attempts given another try (retry policy of the step).',
      registers: [registry],
    });
    this.budgetStops = new Counter({
      name: `${p}budget_stops_total`,
      help: 'Runs stopped because their cost reached max_cost_usd (status budget_exceeded).',
      registers: [registry],
    });
    this.outboxPending = new Gauge({
      name: `${p}outbox_pending_rows`,
      help: 'Outbox messages not yet published or not yet cleaned up (not counting set-aside ones), as of the last relay pass.',
      registers: [registry],
    });
    this.outboxOldestAge = new Gauge({
      name: `${p}outbox_oldest_pending_age_seconds`,
      help: 'Age of the oldest outbox message waiting to be published (0 when none), as of the last relay pass.',
      registers: [registry],
    });
  }
}
