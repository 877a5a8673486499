import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  MESSAGE_SCHEMA_VERSION,
  messageIds,
  natsNames,
  type NatsNames,
  type StepDispatch,
  type StepResult,
} from '@sandcastle/contracts';
import { JetStreamPublisher, startJetStreamConsumers, stripNamespace } from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry } from '@sandcastle/observability';
import type { Registry } from 'prom-client';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../app.module';
import { loadExecutorConfig } from '../config/executor.config';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A running executor: the real Nest app consuming the steps stream of the namespace. */
export interface ExecutorProcess {
  app: INestApplication;
  registry: Registry;
}

/**
 * Real NATS (a namespace of its own) and as many executor apps as a test starts, each as
 * `main.ts` builds it. Results stay in the results stream (no orchestrator), where tests read
 * them.
 */
export class ExecutorTestBed {
  readonly names: NatsNames = natsNames(`ex${randomBytes(4).toString('hex')}`);
  admin!: NatsConnection;
  jsm!: JetStreamManager;
  private readonly apps: INestApplication[] = [];

  async setUp(): Promise<void> {
    this.admin = await connect({ servers: NATS_URL });
    this.jsm = await jetstreamManager(this.admin);
  }

  async start(
    env: Record<string, string>,
    consumer: { drainTimeoutMs?: number; concurrency?: number } = {},
  ): Promise<ExecutorProcess> {
    const config = loadExecutorConfig({
      NATS_URL,
      NATS_NAMESPACE: this.names.namespace,
      LOG_LEVEL: 'error',
      ...env,
    });
    const registry = createMetricsRegistry('executor');
    const app = await NestFactory.create(
      AppModule.forRoot(config, createLogger('executor', 'error'), registry),
      { logger: false },
    );
    await app.init();
    await startJetStreamConsumers(
      app,
      [
        {
          stream: this.names.streams.steps,
          durable: 'executor',
          ackWaitMs: 5000,
          maxAckPending: 100,
          concurrency: consumer.concurrency ?? 4,
          prefetch: false,
          patternOf: stripNamespace(this.names),
        },
      ],
      consumer.drainTimeoutMs,
    );
    this.apps.push(app);
    return { app, registry };
  }

  async tearDown(): Promise<void> {
    for (const app of this.apps) await app.close().catch(() => undefined);
    for (const stream of Object.values(this.names.streams))
      await this.jsm.streams.delete(stream).catch(() => undefined);
    await this.jsm.streams
      .delete(`KV_${this.names.namespace.toUpperCase()}_STOPPED_RUNS`)
      .catch(() => undefined);
    await this.admin.close();
  }

  dispatch(runId: string, overrides: Partial<StepDispatch> = {}): StepDispatch {
    return {
      v: MESSAGE_SCHEMA_VERSION,
      tenantId: 'acme',
      runId,
      stepId: 'write',
      itemIndex: null,
      attempt: 1,
      prompt: `hello from ${runId}`,
      model: 'sonnet',
      maxTurns: 3,
      timeoutSeconds: 60,
      outputSchema: null,
      runtime: 'sandstorm',
      sandstormUrl: null,
      simulation: null,
      dispatchedAt: new Date().toISOString(),
      ...overrides,
    };
  }

  async send(via: ExecutorProcess, d: StepDispatch): Promise<void> {
    await via.app.get(JetStreamPublisher).publish({
      subject: this.names.subjects.stepDispatch,
      msgId: messageIds.stepDispatch(d.runId, d.stepId, d.itemIndex, d.attempt),
      payload: d,
    });
  }

  /** Every result of a run stored in the results stream so far. */
  async resultsOf(runId: string): Promise<StepResult[]> {
    const found: StepResult[] = [];
    const info = await this.jsm.streams.info(this.names.streams.results).catch(() => null);
    if (!info) return found;
    const { first_seq, last_seq } = info.state;
    for (let seq = first_seq; seq <= last_seq && last_seq > 0; seq++) {
      const stored = await this.jsm.streams.getMessage(this.names.streams.results, { seq }).catch(() => null);
      const msg = stored?.json<StepResult>();
      if (msg && msg.runId === runId && 'outcome' in msg) found.push(msg);
    }
    return found;
  }

  /** The first result of a run, waiting for it. */
  async resultOf(runId: string, timeoutMs?: number): Promise<StepResult> {
    return waitFor(async () => (await this.resultsOf(runId))[0], timeoutMs);
  }
}

export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))?.value ?? 0;
}
