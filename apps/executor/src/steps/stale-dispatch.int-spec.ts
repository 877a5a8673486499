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
  type StepDispatch,
  type StepResult,
} from '@sandcastle/contracts';
import {
  JetStreamPublisher,
  startJetStreamConsumers,
  StoppedRuns,
  stripNamespace,
} from '@sandcastle/messaging';
import { createLogger, createMetricsRegistry } from '@sandcastle/observability';
import type { Registry } from 'prom-client';
import { randomBytes, randomUUID } from 'node:crypto';
import { startFakeSandstorm, type FakeSandstorm } from '../../../../test/support/fake-sandstorm-server';
import { AppModule } from '../app.module';
import { loadExecutorConfig } from '../config/executor.config';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('executor refuses dispatches that are no longer current (real NATS, fake Sandstorm)', () => {
  const names = natsNames(`ex${randomBytes(4).toString('hex')}`);
  let fake: FakeSandstorm;
  let app: INestApplication;
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  let registry: Registry;

  beforeAll(async () => {
    fake = await startFakeSandstorm();
    const config = loadExecutorConfig({
      NATS_URL,
      NATS_NAMESPACE: names.namespace,
      SANDSTORM_URL: fake.url,
      LOG_LEVEL: 'error',
      STEP_STARTED_DELAY_MS: '60000',
    });
    registry = createMetricsRegistry('executor');
    app = await NestFactory.create(AppModule.forRoot(config, createLogger('executor', 'error'), registry), {
      logger: false,
    });
    await app.init();
    await startJetStreamConsumers(app, [
      {
        stream: names.streams.steps,
        durable: 'executor',
        ackWaitMs: 5000,
        maxAckPending: 100,
        concurrency: 4,
        patternOf: stripNamespace(names),
      },
    ]);
    admin = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(admin);
  });

  afterAll(async () => {
    await app.close();
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await jsm.streams.delete(`KV_${names.namespace.toUpperCase()}_STOPPED_RUNS`).catch(() => undefined);
    await admin.close();
    await fake.close();
  });

  function dispatch(runId: string, deadlineAt: Date | undefined): StepDispatch {
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
      ...(deadlineAt ? { deadlineAt: deadlineAt.toISOString() } : {}),
    };
  }

  async function send(d: StepDispatch): Promise<void> {
    await app.get(JetStreamPublisher).publish({
      subject: names.subjects.stepDispatch,
      msgId: messageIds.stepDispatch(d.runId, d.stepId, d.itemIndex, d.attempt),
      payload: d,
    });
  }

  /** Results stay in the results stream: no orchestrator consumes them here. */
  async function resultOf(runId: string): Promise<StepResult> {
    return waitFor(async () => {
      const { first_seq, last_seq } = (await jsm.streams.info(names.streams.results)).state;
      for (let seq = first_seq; seq <= last_seq && last_seq > 0; seq++) {
        const stored = await jsm.streams.getMessage(names.streams.results, { seq });
        const msg = stored?.json<StepResult>();
        if (msg && msg.runId === runId && 'outcome' in msg) return msg;
      }
      return undefined;
    });
  }

  const prompts = () => fake.requests.map((r) => (r.body as { prompt?: string } | null)?.prompt ?? '');
  const refused = async (reason: string) =>
    (await registry.getSingleMetric('sandcastle_executor_dispatches_refused_total')?.get())?.values.find(
      (v) => v.labels.reason === reason,
    )?.value ?? 0;

  it('refuses a dispatch past its deadline without calling the runtime, at no cost', async () => {
    const runId = randomUUID();
    // It waited in the queue past the deadline at which the orchestrator presumes it lost.
    await send(dispatch(runId, new Date(Date.now() - 1_000)));
    const result = await resultOf(runId);
    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'lost', costUsd: 0, attempt: 1 });
    expect(prompts().some((p) => p.includes(runId))).toBe(false);
    expect(await refused('past_deadline')).toBe(1);
  });

  it('refuses a dispatch of a stopped run without calling the runtime', async () => {
    const runId = randomUUID();
    await (await StoppedRuns.open(admin, names)).markStopped(runId, 'cancelled');
    // The executor learns of the stop through a KV watch: give it a moment before the dispatch.
    await new Promise((r) => setTimeout(r, 500));
    await send(dispatch(runId, new Date(Date.now() + 3_600_000)));
    const result = await resultOf(runId);
    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'aborted', costUsd: 0 });
    expect(prompts().some((p) => p.includes(runId))).toBe(false);
    expect(await refused('run_stopped')).toBe(1);
  });

  it('runs a current dispatch (and one without a deadline) on the runtime', async () => {
    const current = randomUUID();
    const legacy = randomUUID();
    await send(dispatch(current, new Date(Date.now() + 3_600_000)));
    await send(dispatch(legacy, undefined));
    expect(await resultOf(current)).toMatchObject({ outcome: 'completed' });
    expect(await resultOf(legacy)).toMatchObject({ outcome: 'completed' });
    expect(prompts().filter((p) => p.includes(current) || p.includes(legacy))).toHaveLength(2);
  });
});
