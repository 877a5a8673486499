import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class ExecutorMetrics {
  readonly attempts: Counter<'runtime' | 'outcome'>;
  readonly attemptDuration: Histogram<'runtime'>;
  readonly inFlight: Gauge;
  readonly cost: Counter<'runtime'>;
  readonly refused: Counter<'reason'>;
  readonly modelTries: Counter<'runtime' | 'outcome'>;

  constructor(registry: Registry) {
    const p = 'sandcastle_executor_';
    this.attempts = new Counter({
      name: `${p}attempts_total`,
      help: 'Step attempts finished, by runtime and outcome (completed, failed, handed_back).',
      labelNames: ['runtime', 'outcome'],
      registers: [registry],
    });
    this.attemptDuration = new Histogram({
      name: `${p}attempt_duration_seconds`,
      help: 'Wall time of one step attempt on its runtime.',
      labelNames: ['runtime'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600],
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: `${p}in_flight`,
      help: 'Attempts running now.',
      registers: [registry],
    });
    this.cost = new Counter({
      name: `${p}cost_usd_total`,
      help: 'USD reported by runtimes for attempts run here.',
      labelNames: ['runtime'],
      registers: [registry],
    });
    this.refused = new Counter({
      name: `${p}dispatches_refused_total`,
      help: 'Dispatches not run because they were no longer current (run_stopped, past_deadline); no runtime was called.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.modelTries = new Counter({
      name: `${p}model_tries_total`,
      help: 'Models tried by the anthropic/openai runtimes, by runtime and outcome (completed; failed includes skipped and cooling models): failed tries beside completed ones are fallbacks.',
      labelNames: ['runtime', 'outcome'],
      registers: [registry],
    });
  }
}
