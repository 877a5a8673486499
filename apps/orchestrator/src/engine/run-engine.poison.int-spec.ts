import { randomUUID } from 'node:crypto';
import { AckPolicy, jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { JetStreamPublisher } from '@sandcastle/messaging';
import { StoppedRuns, stoppedRunsBucket } from '@sandcastle/messaging';
import { checkConsistency } from '@sandcastle/persistence';
import { loadOrchestratorConfig } from '../config/orchestrator.config';
import { ReconcilerService } from '../reconciler/reconciler.service';
import { completed, EngineFixture } from './testing/engine-fixture';
import { resultOf } from './testing/machine-harness';

const ONE_STEP = `
name: One
runtime: simulated
steps:
  - id: only
    prompt: "{input.text}"
`;

const RETRYING = `
name: Retrying
runtime: simulated
steps:
  - id: only
    prompt: p
    retry: { max_attempts: 3, backoff: fixed, base_delay_seconds: 60 }
`;

async function value(
  metric: { get(): Promise<{ values: { value: number; labels: object }[] }> },
  labels = {},
) {
  const { values } = await metric.get();
  const match = values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels));
  return match?.value ?? 0;
}

/** Poison containment and truthful money against the real PostgreSQL and NATS. */
describe('RunEngine: poison is contained (real PostgreSQL and NATS)', () => {
  const f = new EngineFixture();

  beforeAll(async () => {
    await f.setUp('po');
    await f.jsm.consumers.add(f.names.streams.steps, {
      durable_name: 'reader',
      ack_policy: AckPolicy.Explicit,
    });
  });

  afterAll(async () => {
    await f.jsm.streams.delete(`KV_${stoppedRunsBucket(f.names)}`).catch(() => undefined);
    await f.tearDown();
  });

  async function insertOutbox(subject: string, msgId: string, payload: string): Promise<string> {
    const [row] = await f.db.query<{ id: string }[]>(
      `INSERT INTO outbox (subject, msg_id, payload, created_at) VALUES ($1, $2, $3, now() - interval '1 minute')
       RETURNING id::text AS id`,
      [subject, msgId, payload],
    );
    return row!.id;
  }

  async function outboxRow(id: string) {
    const [row] = await f.db.query<{ attempts: number; last_error: string | null; failed_at: Date | null }[]>(
      `SELECT attempts, last_error, failed_at FROM outbox WHERE id = $1`,
      [id],
    );
    return row;
  }

  /** Dispatch messages in the steps stream (taken and acked), by message id. */
  async function takeDispatchIds(expected: number): Promise<string[]> {
    const consumer = await jetstream(f.nc).consumers.get(f.names.streams.steps, 'reader');
    const ids: string[] = [];
    const deadline = Date.now() + 5000;
    while (ids.length < expected && Date.now() < deadline) {
      const msg = await consumer.next({ expires: 1000 });
      if (msg) {
        ids.push(msg.headers?.get('Nats-Msg-Id') ?? '');
        msg.ack();
      }
    }
    return ids;
  }

  it('sets a row that keeps failing aside after a bounded number of tries, while the others publish', async () => {
    const { engine, metrics, logger } = await f.engine({ outboxMaxAttempts: 3 });
    const subject = f.names.subjects.stepDispatch;
    // Over the broker's max payload (1 MB by default), and a subject no stream takes.
    const tooBig = await insertOutbox(
      subject,
      `big:${randomUUID()}`,
      JSON.stringify({ x: 'x'.repeat(1_200_000) }),
    );
    const nowhere = await insertOutbox(`${f.names.namespace}.nowhere`, `lost:${randomUUID()}`, '{}');
    const good = [];
    for (let i = 0; i < 3; i++)
      good.push(await insertOutbox(subject, `good:${i}:${randomUUID()}`, `{"i":${i}}`));

    expect(await engine.relayOutbox(2000)).toBe(3);
    expect((await takeDispatchIds(3)).filter((id) => id.startsWith('good:'))).toHaveLength(3);
    expect(await outboxRow(good[0]!)).toBeUndefined();
    expect(await outboxRow(tooBig)).toMatchObject({ attempts: 1, failed_at: null });
    expect((await outboxRow(tooBig))!.last_error).toMatch(/payload/i);

    // A new good row arriving later publishes at once, whatever the poisoned rows do.
    const late = await insertOutbox(subject, `good:late:${randomUUID()}`, '{}');
    expect(await engine.relayOutbox(2000)).toBe(1);
    expect(await outboxRow(late)).toBeUndefined();
    expect(await engine.relayOutbox(2000)).toBe(0);
    for (const id of [tooBig, nowhere]) {
      expect(await outboxRow(id)).toMatchObject({ attempts: 3, failed_at: expect.any(Date) as unknown });
    }
    // Set aside: not tried again.
    expect(await engine.relayOutbox(0)).toBe(0);
    expect((await outboxRow(tooBig))!.attempts).toBe(3);
    expect(logger.lines.filter((l) => l.msg.startsWith('outbox message set aside'))).toHaveLength(2);
    expect(await value(metrics.outboxFailed)).toBe(2);
    expect(await value(metrics.outboxSetAside)).toBe(2);
    expect(await value(metrics.outboxPublishFailures)).toBe(6);

    const report = await checkConsistency((sql, params) => f.db.query(sql, params));
    const setAside = report.problems.find((p) => p.check === 'outbox_set_aside');
    expect(setAside?.count).toBe(2);
    expect(report.problems.find((p) => p.check === 'outbox_backlog')).toBeUndefined();
    await f.db.query(`DELETE FROM outbox WHERE failed_at IS NOT NULL`);
  });

  it('publishes the other messages of a transition when one of them fails after commit', async () => {
    // The machine's own size limits raised, so the oversized dispatch reaches the outbox and is
    // refused only by the publisher (as a message the broker cannot take).
    const { engine } = await f.engine({
      outboxMaxAttempts: 2,
      limits: { maxPromptBytes: 4_000_000, maxMessageBytes: 4_000_000 },
    });
    const events = f.nc.subscribe(f.names.subjects.runEventsAll);
    const runId = await f.insertRun(ONE_STEP, { input: { text: 'y'.repeat(1_200_000) } });
    const heard: string[] = [];
    void (async () => {
      for await (const msg of events) heard.push(msg.subject);
    })();
    expect(await engine.startRun(runId)).toBe(true);
    // The run's events went out; the oversized dispatch stayed in the outbox with its error.
    const deadline = Date.now() + 5000;
    while (heard.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    events.unsubscribe();
    expect(heard.filter((s) => s.startsWith(f.names.runEvent(runId, ''))).length).toBeGreaterThanOrEqual(2);
    const [row] = await f.db.query<{ id: string; attempts: number; last_error: string }[]>(
      `SELECT id::text AS id, attempts, last_error FROM outbox WHERE msg_id LIKE 'dispatch:' || $1 || ':%'`,
      [runId],
    );
    expect(row).toMatchObject({ attempts: 1 });
    // What was published is cleaned up; the relay tries the dispatch once more, then sets it aside.
    expect(await engine.deletePublished()).toBeGreaterThanOrEqual(2);
    expect(await engine.relayOutbox(0)).toBe(0);
    expect((await outboxRow(row!.id))!.failed_at).toEqual(expect.any(Date));
    await f.db.query(`DELETE FROM outbox WHERE failed_at IS NOT NULL`);
  });

  it('relays the outbox even when another sweep throws, and isolates a poisoned run within a sweep', async () => {
    const { engine, metrics } = await f.engine();
    const config = loadOrchestratorConfig({ RECONCILE_INTERVAL_MS: '1000' });
    const reconciler = new ReconcilerService(engine, config, (await f.engine()).logger, metrics);
    jest.spyOn(engine, 'failLostAttempts').mockRejectedValue(new Error('sweep exploded'));
    jest.spyOn(engine, 'applyCancelRequests').mockRejectedValue(new Error('sweep exploded too'));

    // A healthy run with a retry due, and a poisoned one: its step row names a step its
    // definition does not have, so the machine throws on it.
    const healthy = await f.insertRun(RETRYING);
    await engine.startRun(healthy);
    const [first] = await f.queued([healthy]);
    expect(await engine.applyResult(resultOf(first!, 'failed'))).toBe('applied');
    const poisoned = await f.insertRun(RETRYING);
    await engine.startRun(poisoned);
    await f.db.query(
      `UPDATE run_steps SET step_id = 'ghost', status = 'pending', next_attempt_at = now() - interval '1 second'
        WHERE run_id = $1`,
      [poisoned],
    );
    await f.db.query(`UPDATE run_steps SET next_attempt_at = now() - interval '1 second' WHERE run_id = $1`, [
      healthy,
    ]);
    const orphan = await insertOutbox(f.names.subjects.stepDispatch, `orphan:${randomUUID()}`, '{"v":1}');

    await reconciler.tick();

    expect(await outboxRow(orphan)).toBeUndefined();
    expect(await value(metrics.reconcilerFailures, { sweep: 'lost-attempts', scope: 'sweep' })).toBe(1);
    expect(await value(metrics.reconcilerFailures, { sweep: 'cancel-requests', scope: 'sweep' })).toBe(1);
    expect(await value(metrics.reconcilerFailures, { sweep: 'retries', scope: 'run' })).toBe(1);
    const [retried] = await f.queued([healthy]);
    expect(retried).toMatchObject({ stepId: 'only', attempt: 2 });
    jest.restoreAllMocks();
  });

  it("counts a lost attempt's late real result exactly once, however often it is delivered", async () => {
    const { engine, metrics } = await f.engine();
    const runId = await f.insertRun(ONE_STEP, { input: { text: 'hi' } });
    await engine.startRun(runId);
    const [attempt] = await f.queued([runId]);
    await f.db.query(`UPDATE run_steps SET deadline_at = now() - interval '1 second' WHERE run_id = $1`, [
      runId,
    ]);
    expect(await engine.failLostAttempts()).toBe(1);
    expect(await f.runStatus(runId)).toMatchObject({ status: 'failed', total_cost_usd: 0 });

    const late = { ...completed(attempt!, 'finally', 0.3), usage: { ...completed(attempt!, null).usage } };
    const outcomes = await Promise.all([engine.applyResult(late), engine.applyResult(late)]);
    expect(outcomes.sort()).toEqual(['duplicate', 'stale']);
    expect(await engine.applyResult(late)).toBe('duplicate');

    expect(await f.runStatus(runId)).toMatchObject({ status: 'failed' });
    expect((await f.runStatus(runId)).total_cost_usd).toBeCloseTo(0.3, 9);
    const [step] = await f.db.query<{ status: string; cost_usd: number; input_tokens: number }[]>(
      `SELECT status, cost_usd, input_tokens FROM run_steps WHERE run_id = $1`,
      [runId],
    );
    expect(step).toEqual({ status: 'failed', cost_usd: 0.3, input_tokens: 10 });
    const [attemptRow] = await f.db.query<
      { outcome: string; cost_usd: number; error_kind: string | null; replaced_lost_at: Date | null }[]
    >(`SELECT outcome, cost_usd, error_kind, replaced_lost_at FROM step_attempts WHERE run_id = $1`, [runId]);
    expect(attemptRow).toMatchObject({ outcome: 'completed', cost_usd: 0.3, error_kind: null });
    expect(attemptRow!.replaced_lost_at).toEqual(expect.any(Date));
    expect(await value(metrics.lateResults)).toBe(1);
    // Totals still equal the sum of the steps; the late completed attempt is not reported as unapplied.
    const report = await checkConsistency((sql, params) => f.db.query(sql, params), { runIds: [runId] });
    expect(report.problems).toEqual([]);
  });

  it("writes a stop's abort to the outbox in the stop's transaction; the relay sends it after a crash", async () => {
    // A replica that commits and then dies before publishing anything.
    const dead = {
      publish: () => Promise.reject(new Error('process died')),
      publishAll: () => Promise.reject(new Error('process died')),
      signal: () => {
        throw new Error('process died');
      },
    } as unknown as JetStreamPublisher;
    const { engine: crashing } = await f.engine({}, { publisher: dead });
    const stopped = await StoppedRuns.open(f.nc, f.names);
    const { engine: survivor } = await f.engine({}, { stoppedRuns: stopped });

    const runId = await f.insertRun(ONE_STEP, { input: { text: 'hi' } });
    await crashing.startRun(runId);
    expect(await crashing.cancelRun(runId, 'stop it')).toBe('cancelled');
    const rows = await f.db.query<{ kind: string; msg_id: string; payload: string; subject: string }[]>(
      `SELECT kind, msg_id, payload, subject FROM outbox WHERE kind = 'stop' AND msg_id = $1`,
      [`stop:${runId}`],
    );
    expect(rows).toEqual([
      {
        kind: 'stop',
        msg_id: `stop:${runId}`,
        subject: f.names.cancelControl(runId),
        payload: JSON.stringify({ runId, reason: 'stop it' }),
      },
    ]);

    const signals = f.nc.subscribe(f.names.cancelControl(runId), { max: 1 });
    await f.db.query(
      `UPDATE outbox SET created_at = now() - interval '1 minute' WHERE msg_id LIKE '%' || $1 || '%'`,
      [runId],
    );
    expect(await survivor.relayOutbox(2000)).toBeGreaterThanOrEqual(1);
    for await (const msg of signals) expect(msg.json()).toEqual({ runId, reason: 'stop it' });
    const kv = await new Kvm(f.nc).open(stoppedRunsBucket(f.names));
    const entry = await kv.get(runId);
    expect(entry?.json<{ reason: string }>().reason).toBe('stop it');
    expect(await f.db.query(`SELECT 1 FROM outbox WHERE msg_id = $1`, [`stop:${runId}`])).toEqual([]);
  });
});
