import { Counter, Histogram, type Registry } from 'prom-client';
import type { StorageObserver, StorageOperation } from './resilient-storage';

/**
 * Storage operations of one service, in its registry: `sandcastle_<service>_storage_*`
 * (`prefix` is `metricPrefix(service)` from @sandcastle/observability).
 */
export class StorageMetrics implements StorageObserver {
  readonly operations: Counter<'op' | 'outcome'>;
  readonly duration: Histogram<'op'>;
  readonly bytes: Counter<'op'>;

  constructor(registry: Registry, prefix: string) {
    this.operations = new Counter({
      name: `${prefix}storage_operations_total`,
      help: 'Storage operations by op (put, get, exists, delete, list) and outcome (ok, retried = ok after a retry, failed = every try failed).',
      labelNames: ['op', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: `${prefix}storage_operation_duration_seconds`,
      help: 'Wall time of one storage operation, retries included.',
      labelNames: ['op'],
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.bytes = new Counter({
      name: `${prefix}storage_bytes_total`,
      help: 'Bytes written (put) and read (get) through storage.',
      labelNames: ['op'],
      registers: [registry],
    });
  }

  operation(
    op: StorageOperation,
    outcome: 'ok' | 'retried' | 'failed',
    seconds: number,
    bytes: number,
  ): void {
    this.operations.inc({ op, outcome });
    this.duration.observe({ op }, seconds);
    if (bytes > 0 && (op === 'put' || op === 'get')) this.bytes.inc({ op }, bytes);
  }
}
