import { Inject, Injectable, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import { HealthRegistry } from './health-registry';
import { createMetricsRegistry } from './metrics-registry';
import { ObservabilityModule } from './observability.module';
import { captureLogger } from './testing/capture-logger';
import { LOGGER, METRICS_REGISTRY, SERVICE_NAME } from './tokens';
import type { Logger } from './logger';

/** Switches the dependencies a fake feature module reports, to drive the probes. */
const deps = { database: true, sandstorm: true };

@Injectable()
class FeatureService implements OnModuleInit {
  readonly requests: Counter;

  constructor(
    private readonly health: HealthRegistry,
    @Inject(LOGGER) readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(SERVICE_NAME) readonly service: string,
  ) {
    this.requests = new Counter({
      name: 'sandcastle_probe_test_requests_total',
      help: 'x',
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.health.register('database', async () => deps.database);
    this.health.register('sandstorm', async () => deps.sandstorm, { critical: false });
  }
}

@Module({ providers: [FeatureService] })
class FeatureModule {}

describe('ObservabilityModule (HTTP)', () => {
  const { logger, lines } = captureLogger('probe_test', 'info');
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    @Module({
      imports: [
        ObservabilityModule.forRoot({
          service: 'probe_test',
          logger,
          registry: createMetricsRegistry('probe_test'),
          healthCacheMs: 0,
        }),
        FeatureModule,
      ],
    })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    deps.database = true;
    deps.sandstorm = true;
  });

  it('provides the logger, registry, service name and health registry to other modules', () => {
    const feature = app.get(FeatureService);
    expect(feature.service).toBe('probe_test');
    feature.logger.info('reachable');
    expect(lines.at(-1)).toMatchObject({ service: 'probe_test', msg: 'reachable' });
    expect(app.get(HealthRegistry)).toBeInstanceOf(HealthRegistry);
  });

  it('GET /health reports each check in the envelope and is 200 even when degraded', async () => {
    let res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { status: 'ok', database: true, sandstorm: true },
      error: null,
    });

    deps.database = false;
    res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { status: 'degraded', database: false, sandstorm: true },
      error: null,
    });
  });

  it('GET /health/live is 200 whatever the dependencies say', async () => {
    deps.database = false;
    const res = await fetch(`${base}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { status: 'ok' }, error: null });
  });

  it('GET /health/ready is 503 only while a critical check fails', async () => {
    deps.sandstorm = false;
    let res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { status: 'degraded', database: true, sandstorm: false },
      error: null,
    });

    deps.database = false;
    res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      data: { status: 'degraded', database: false, sandstorm: false },
      error: null,
    });

    deps.database = true;
    deps.sandstorm = true;
    res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(200);
  });

  it('GET /metrics serves the registry in Prometheus text format', async () => {
    app.get(FeatureService).requests.inc(2);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.headers.get('content-type')).toContain('version=0.0.4');
    const text = await res.text();
    expect(text).toContain('sandcastle_probe_test_requests_total{service="probe_test"} 2');
    expect(text).toContain('sandcastle_probe_test_process_cpu_user_seconds_total');
  });
});
