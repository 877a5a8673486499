import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the scheduler does, on the process's one registry (`sandcastle_scheduler_…`). */
export class SchedulerMetrics {
  /** Runs started by schedules; `catch_up` = "true" for a fire that stands for missed due times. */
  readonly fired: Counter<'catch_up'>;
  readonly skipped: Counter<'reason'>;
  readonly disabled: Counter;
  /** Time from a due time to its run being created. */
  readonly fireDelay: Histogram;
  readonly tickDuration: Histogram;
  readonly tickErrors: Counter;
  readonly lastTick: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.fired = new Counter({
      name: 'sandcastle_scheduler_schedules_fired_total',
      help: 'Runs started by schedules; catch_up="true" for one fire standing for due times missed while down.',
      labelNames: ['catch_up'],
      registers,
    });
    this.skipped = new Counter({
      name: 'sandcastle_scheduler_fires_skipped_total',
      help: 'Due times that started no run, by reason (overlap: the previous run was still active).',
      labelNames: ['reason'],
      registers,
    });
    this.disabled = new Counter({
      name: 'sandcastle_scheduler_schedules_disabled_total',
      help: 'Schedules the scheduler disabled because their workflow no longer exists.',
      registers,
    });
    this.fireDelay = new Histogram({
      name: 'sandcastle_scheduler_fire_delay_seconds',
      help: 'Time from a due time to its run being created.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 60, 300, 3600],
      registers,
    });
    this.tickDuration = new Histogram({
      name: 'sandcastle_scheduler_tick_duration_seconds',
      help: 'Time one check of due schedules took.',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.tickErrors = new Counter({
      name: 'sandcastle_scheduler_tick_errors_total',
      help: 'Schedules whose fire failed (retried at the next tick).',
      registers,
    });
    this.lastTick = new Gauge({
      name: 'sandcastle_scheduler_last_tick_timestamp_seconds',
      help: 'When this replica last checked for due schedules (alert if it stops moving).',
      registers,
    });
  }
}
