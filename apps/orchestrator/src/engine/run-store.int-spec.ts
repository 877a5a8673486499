// The statements derived from the column descriptors, against real PostgreSQL: every mapped column
// of a step row and every column the engine writes of a run survives a save and a load, a step's
// own row (item index null) is stored as -1, and a write built on a stale read changes nothing.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@sandcastle/persistence/testing';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import { byItemIndex, newStepRow, type RunRow, type StepRow } from './run-state';
import {
  lockRunsWithSteps,
  loadStepRows,
  recordAttempts,
  runsWaitingForSlotsOf,
  saveTransitions,
  StaleStepWriteError,
  type RunChanges,
} from './run-store';
import { resultOf } from './testing/machine-harness';

const FAN_OUT = `
name: Stored
steps:
  - id: list
    prompt: list
  - id: each
    depends_on: [list]
    parallel_over: steps.list.output
    prompt: "{{_item}}"
`;

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A row with every mapped column away from its default, so a column lost on the way shows. */
function fullRow(stepId: string, itemIndex: number | null, seed: number): StepRow {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 10, 0, seed + s));
  return {
    ...newStepRow(stepId, itemIndex),
    itemCount: itemIndex === null ? 2 : null,
    status: 'running',
    attempt: 2,
    output: { text: `out-${seed}`, list: [1, 'two', null] },
    error: 'first try failed',
    errorKind: 'runtime_error',
    costUsd: 0.125 + seed,
    inputTokens: 100 + seed,
    outputTokens: 50 + seed,
    numTurns: 3,
    durationSeconds: 1.5,
    model: 'sonnet',
    runtime: 'simulated',
    prompt: `prompt ${seed}`,
    isFallback: true,
    executorId: 'ex-7',
    queuedAt: at(1),
    startedAt: at(2),
    completedAt: at(3),
    nextAttemptAt: at(4),
    deadlineAt: at(5),
    restoredFrom: randomUUID(),
    checkpointSeq: seed,
    waitingSince: at(6),
  };
}

describe('run store statements (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function insertRun(traceparent: string | null): Promise<string> {
    const parsed = parseWorkflowYaml(FAN_OUT);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const id = randomUUID();
    await db.dataSource.query(
      `INSERT INTO runs (id, tenant_id, workflow_name, definition, input_data, root_run_id, max_cost_usd, traceparent)
       VALUES ($1, 'acme', 'stored', $2, '{"lead": 1}', $1, 2.5, $3)`,
      [id, JSON.stringify(parsed.definition), traceparent],
    );
    return id;
  }

  async function locked(runId: string): Promise<{ run: RunRow; steps: StepRow[] }> {
    const found = await db.dataSource.transaction((em) => lockRunsWithSteps(em, [runId]));
    return found.get(runId)!;
  }

  function changes(run: RunRow, steps: StepRow[], runChanged = true): RunChanges {
    return { run, runChanged, steps, messages: [], deadLetters: [] };
  }

  it('writes every mapped column of step rows and reads them back the same', async () => {
    const runId = await insertRun(TRACEPARENT);
    const { run, steps } = await locked(runId);
    expect(steps).toEqual([]);
    const rows = [fullRow('each', null, 1), fullRow('each', 0, 2), fullRow('each', 1, 3)];
    await db.dataSource.transaction((em) => saveTransitions(em, [changes(run, rows, false)]));

    // As stored: the write counter advanced once; in step-row order.
    const expected = rows.map((r) => ({ ...r, rowVersion: 0 })).sort(byItemIndex);
    // lockRunsWithSteps leaves the run id it grouped by on each row.
    const sorted = (loaded: (StepRow & { runId?: string })[]) =>
      loaded.map(({ runId: _runId, ...r }) => r).sort(byItemIndex);
    expect(sorted(await loadStepRows(db.dataSource.manager, runId))).toEqual(expected);
    expect(sorted((await locked(runId)).steps)).toEqual(expected);

    const raw = await db.dataSource.query<{ item_index: number; tenant_id: string }[]>(
      `SELECT item_index, tenant_id FROM run_steps WHERE run_id = $1 ORDER BY item_index`,
      [runId],
    );
    expect(raw).toEqual([
      { item_index: -1, tenant_id: 'acme' },
      { item_index: 0, tenant_id: 'acme' },
      { item_index: 1, tenant_id: 'acme' },
    ]);
  });

  it('writes the run columns the engine changes, and fills a missing trace once', async () => {
    const runId = await insertRun(null);
    const { run } = await locked(runId);
    expect(run).toMatchObject({
      id: runId,
      tenantId: 'acme',
      workflowName: 'stored',
      status: 'queued',
      inputData: { lead: 1 },
      maxCostUsd: 2.5,
      kind: 'original',
      parentRunId: null,
    });
    expect(run.definition.steps.map((s) => s.id)).toEqual(['list', 'each']);
    // Loaded without a trace: one is made, and the first save stores it.
    expect(run.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const made = run.traceparent;

    Object.assign(run, {
      status: 'running',
      outputs: { list: ['a', 'b'] },
      error: 'not yet',
      totalCostUsd: 0.75,
      totalInputTokens: 12,
      totalOutputTokens: 34,
      budgetWarned: true,
      checkpointSeq: 4,
      startedAt: new Date('2026-11-26T10:00:00.000Z'),
      completedAt: new Date('2026-11-26T10:05:00.000Z'),
    });
    await db.dataSource.transaction((em) => saveTransitions(em, [changes(run, [])]));
    const again = await locked(runId);
    expect(again.run).toEqual({ ...run, createdAt: again.run.createdAt });

    // A stored trace is kept: a later save does not replace it.
    again.run.traceparent = TRACEPARENT;
    await db.dataSource.transaction((em) => saveTransitions(em, [changes(again.run, [])]));
    expect((await locked(runId)).run.traceparent).toBe(made);
  });

  it('returns each outbox row with the id it is stored under, in the order of the messages', async () => {
    const [first, second] = [await insertRun(TRACEPARENT), await insertRun(null)];
    const message = (runId: string, n: number) => ({
      subject: `sc.evt.run.${runId}.step`,
      msgId: `evt:${runId}:${n}`,
      payload: { n, text: `"quoted" \\ ${'x'.repeat(n * 50)}` },
      kind: 'stream' as const,
    });
    const batch = [first, second].map((runId) => ({
      ...changes({ id: runId, tenantId: 'acme', traceparent: null } as RunRow, [], false),
      messages: [1, 2, 3].map((n) => message(runId, n)),
    }));
    const returned = await db.dataSource.transaction((em) => saveTransitions(em, batch));
    expect(returned.map((r) => r.msgId)).toEqual(batch.flatMap((c) => c.messages.map((m) => m.msgId)));
    const stored = await db.dataSource.query<{ id: string; msg_id: string; payload: string }[]>(
      `SELECT id::text, msg_id, payload FROM outbox WHERE id = ANY($1::bigint[])`,
      [returned.map((r) => r.id)],
    );
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const row of returned) {
      expect(byId.get(row.id)).toEqual({ id: row.id, msg_id: row.msgId, payload: row.payload });
    }
  });

  it('refuses step rows changed since they were read, and writes nothing of the batch', async () => {
    const runId = await insertRun(TRACEPARENT);
    const { run } = await locked(runId);
    const row = newStepRow('list', null);
    await db.dataSource.transaction((em) => saveTransitions(em, [changes(run, [row], false)]));
    // `row` still holds the version it was read with (-1, not stored): writing it again is stale.
    row.status = 'queued';
    run.status = 'running';
    await expect(
      db.dataSource.transaction((em) => saveTransitions(em, [changes(run, [row])])),
    ).rejects.toBeInstanceOf(StaleStepWriteError);
    const now = await locked(runId);
    expect(now.run.status).toBe('queued');
    expect(now.steps).toMatchObject([{ stepId: 'list', itemIndex: null, status: 'pending', rowVersion: 0 }]);
  });

  it('stores dead letters and attempts of a plain step with item index -1, and keys them by null', async () => {
    const runId = await insertRun(TRACEPARENT);
    const { run } = await locked(runId);
    await db.dataSource.transaction((em) =>
      saveTransitions(em, [
        {
          ...changes(run, [], false),
          deadLetters: [
            { stepId: 'list', itemIndex: null, error: 'boom', attempts: 2, inputData: {} },
            { stepId: 'each', itemIndex: 1, error: 'boom', attempts: 1, inputData: { _item: 'b' } },
          ],
        },
      ]),
    );
    expect(
      await db.dataSource.query(
        `SELECT step_id, item_index FROM dead_letter_items WHERE run_id = $1 ORDER BY step_id`,
        [runId],
      ),
    ).toEqual([
      { step_id: 'each', item_index: 1 },
      { step_id: 'list', item_index: -1 },
    ]);

    const dispatch = { tenantId: 'acme', runId, stepId: 'list', itemIndex: null, attempt: 1, model: 'm' };
    const result = resultOf(dispatch as Parameters<typeof resultOf>[0], 'completed', 'x');
    const recorded = await db.dataSource.transaction((em) => recordAttempts(em, [result, result]));
    expect([...recorded]).toEqual([[`${runId}|list|null|1`, 'new']]);
    expect(
      await db.dataSource.query(`SELECT item_index FROM step_attempts WHERE run_id = $1`, [runId]),
    ).toEqual([{ item_index: -1 }]);
    // Recorded before: a redelivery is not recorded again.
    expect(await db.dataSource.transaction((em) => recordAttempts(em, [result]))).toEqual(new Map());
  });

  it("hands a tenant's free slots to its oldest waiting runs only, as many as are free", async () => {
    const tenant = `t${randomUUID().slice(0, 8)}`;
    const other = `o${randomUUID().slice(0, 8)}`;
    const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 11, 0, s));
    /** A run of `tenantId` with one step row: in flight, or waiting since second `since`. */
    async function runWith(
      tenantId: string,
      row: { waitingSince?: number; inFlight?: boolean },
    ): Promise<string> {
      const id = await insertRun(null);
      await db.dataSource.query(`UPDATE runs SET tenant_id = $2 WHERE id = $1`, [id, tenantId]);
      await db.dataSource.query(
        `INSERT INTO run_steps (run_id, tenant_id, step_id, status, waiting_since) VALUES ($1, $2, 'list', $3, $4)`,
        [
          id,
          tenantId,
          row.inFlight ? 'running' : 'pending',
          row.waitingSince === undefined ? null : at(row.waitingSince),
        ],
      );
      return id;
    }
    for (let i = 0; i < 3; i++) await runWith(tenant, { inFlight: true });
    const newest = await runWith(tenant, { waitingSince: 30 });
    const oldest = await runWith(tenant, { waitingSince: 10 });
    const second = await runWith(tenant, { waitingSince: 20 });
    const othersOldest = await runWith(other, { waitingSince: 1 });
    // Cap 5, 3 in flight: the two oldest waiters of this tenant, and nothing of the other tenant.
    const picked = await runsWaitingForSlotsOf(db.dataSource.manager, [tenant], 5);
    expect(picked.sort()).toEqual([oldest, second].sort());
    expect(picked).not.toContain(newest);
    // No free slot: nothing; the other tenant alone: its own waiter.
    expect(await runsWaitingForSlotsOf(db.dataSource.manager, [tenant], 3)).toEqual([]);
    expect(await runsWaitingForSlotsOf(db.dataSource.manager, [other], 5)).toEqual([othersOldest]);
  });
});
