import { Counter, type Registry } from 'prom-client';

/** What the retention sweep deleted, in the orchestrator's registry. */
export class RetentionMetrics {
  readonly swept: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.swept = new Counter({
      name: 'sandcastle_orchestrator_storage_swept_objects_total',
      help: 'Run artifacts the retention sweep deleted (deleted) or could not delete this round (failed; tried again).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }
}
