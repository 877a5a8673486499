import { Counter } from 'prom-client';
import { createMetricsRegistry, metricPrefix } from './metrics-registry';

describe('createMetricsRegistry', () => {
  it('exposes Node default metrics with the service prefix and label', async () => {
    const registry = createMetricsRegistry('executor');
    const text = await registry.metrics();
    expect(text).toContain('# TYPE sandcastle_executor_process_cpu_user_seconds_total counter');
    expect(text).toMatch(/^sandcastle_executor_process_resident_memory_bytes\{service="executor"\} \d+/m);
    expect(text).toMatch(/^sandcastle_executor_nodejs_heap_size_used_bytes\{service="executor"\} \d+/m);
  });

  it('keeps registries of different services apart', async () => {
    const a = createMetricsRegistry('svc_a');
    const b = createMetricsRegistry('svc_b');
    new Counter({ name: 'sandcastle_svc_a_things_total', help: 'things', registers: [a] }).inc(3);
    expect(await a.metrics()).toContain('sandcastle_svc_a_things_total{service="svc_a"} 3');
    expect(await b.metrics()).not.toContain('things_total');
    expect(await b.metrics()).not.toContain('sandcastle_svc_a_');
  });

  it('makes service names safe for metric names', () => {
    expect(metricPrefix('dead-letter.worker')).toBe('sandcastle_dead_letter_worker_');
  });
});
