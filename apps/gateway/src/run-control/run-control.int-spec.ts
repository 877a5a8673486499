import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import type { RunAcceptedView, RunStatus, RunView } from '@sandcastle/contracts';
import { RunEntity, RunStepEntity } from '@sandcastle/persistence';
import { parseWorkflowYaml, type WorkflowDefinition } from '@sandcastle/workflow';
import type { QueryDeepPartialEntity } from 'typeorm';
import { addCommandConsumer, commandFor, type ReceivedCommand } from '../testing/command-reader';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import type {
  CancelRunView,
  ForkAcceptedView,
  LineageNodeView,
  ReplayAcceptedView,
} from './run-control.views';

const FLOW_YAML = `name: Three Steps
steps:
  - id: fetch
    prompt: "Fetch {input.url}"
  - id: enrich
    depends_on: [fetch]
    prompt: "Enrich {steps.fetch.output}"
  - id: report
    depends_on: [enrich]
    model: haiku
    prompt: "Report on {steps.enrich.output}"
`;

function definitionOf(yamlText: string): WorkflowDefinition {
  const parsed = parseWorkflowYaml(yamlText);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.definition;
}

/** What the stand-in orchestrator does when a run's cancel command arrives. */
type CancelBehaviour = 'cancel' | 'complete' | 'ignore';

describe('run control routes (real PostgreSQL and NATS)', () => {
  const definition = definitionOf(FLOW_YAML);
  let gw: TestGateway;
  let cancelMessages: ConsumerMessages;
  const cancelsReceived: ReceivedCommand[] = [];
  const cancelBehaviour = new Map<string, CancelBehaviour>();

  const runs = () => gw.db.dataSource.getRepository(RunEntity);

  async function insertRun(fields: QueryDeepPartialEntity<RunEntity> = {}): Promise<string> {
    const id = randomUUID();
    await runs().insert({
      id,
      tenantId: 'default',
      workflowName: 'three-steps',
      workflowVersion: 3,
      // The cast only bridges TypeORM's typing of jsonb columns typed as records.
      definition: definition as unknown as QueryDeepPartialEntity<Record<string, unknown>>,
      inputData: { url: 'https://example.com' },
      status: 'completed',
      rootRunId: id,
      ...fields,
    });
    return id;
  }

  /**
   * Plays the orchestrator's part of a cancel: it receives every `run.cancel` command and, as
   * told per run, cancels the run (row, then event), finishes it otherwise, or does nothing.
   */
  async function startStandInOrchestrator(): Promise<void> {
    const { nc, names } = gw;
    const consumer = await jetstream(nc).consumers.get(names.streams.commands, 'cancel-test');
    cancelMessages = await consumer.consume({ max_messages: 10 });
    void (async () => {
      for await (const m of cancelMessages) {
        const payload = m.json<ReceivedCommand['payload']>();
        cancelsReceived.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), payload });
        m.ack();
        const runId = payload.runId ?? '';
        const behaviour = cancelBehaviour.get(runId) ?? 'ignore';
        if (behaviour === 'ignore') continue;
        const status: RunStatus = behaviour === 'cancel' ? 'cancelled' : 'completed';
        await runs().update(
          { id: runId },
          {
            status,
            error: behaviour === 'cancel' ? String(payload['reason']) : null,
            completedAt: new Date(),
          },
        );
        nc.publish(
          names.runEvent(runId, 'status'),
          JSON.stringify({ type: 'status', runId, data: { status } }),
        );
      }
    })();
  }

  /** Reads start commands until the one for `runId` shows up. */
  const startCommandFor = (runId: string): Promise<ReceivedCommand> =>
    commandFor(gw.nc, gw.names, 'start-test', runId);

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'rc',
      env: { LOG_LEVEL: 'warn', DB_POOL_SIZE: '20' },
    });
    await addCommandConsumer(gw.nc, gw.names, 'cancel-test', gw.names.subjects.runCancel);
    await addCommandConsumer(gw.nc, gw.names, 'start-test', gw.names.subjects.runStart);
    await startStandInOrchestrator();
  });

  afterAll(async () => {
    await cancelMessages?.close();
    await gw?.stop();
  });

  describe('POST /runs/{id}/cancel', () => {
    it('sends the cancel command and answers 200 once the orchestrator cancelled the run', async () => {
      const runId = await insertRun({ status: 'running', startedAt: new Date() });
      cancelBehaviour.set(runId, 'cancel');
      const response = await gw.api<CancelRunView>('POST', `/runs/${runId}/cancel`);
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ run_id: runId, status: 'cancelled' });

      const sent = cancelsReceived.filter((c) => c.payload.runId === runId);
      expect(sent).toEqual([
        {
          subject: gw.names.subjects.runCancel,
          msgId: `cancel:${runId}`,
          payload: { v: 1, tenantId: 'default', runId, reason: 'Cancelled by user' },
        },
      ]);
      expect((await runs().findOneByOrFail({ id: runId })).error).toBe('Cancelled by user');
    });

    it('cancels a queued run the same way', async () => {
      const runId = await insertRun({ status: 'queued' });
      cancelBehaviour.set(runId, 'cancel');
      const response = await gw.api<CancelRunView>('POST', `/runs/${runId}/cancel`);
      expect(response.status).toBe(200);
      expect(response.data.status).toBe('cancelled');
    });

    it('answers two concurrent cancels with 200 each, sending the command once', async () => {
      const runId = await insertRun({ status: 'running' });
      cancelBehaviour.set(runId, 'cancel');
      const answers = await Promise.all([
        gw.api<CancelRunView>('POST', `/runs/${runId}/cancel`),
        gw.api<CancelRunView>('POST', `/runs/${runId}/cancel`),
      ]);
      expect(answers.map((a) => [a.status, a.data])).toEqual([
        [200, { run_id: runId, status: 'cancelled' }],
        [200, { run_id: runId, status: 'cancelled' }],
      ]);
      // The duplicate window dropped the second publish (same message id).
      expect(cancelsReceived.filter((c) => c.payload.runId === runId)).toHaveLength(1);
    });

    it('answers a repeated cancel of a cancelled run with 200, idempotently', async () => {
      const runId = await insertRun({ status: 'cancelled', error: 'Cancelled by user' });
      const response = await gw.api<CancelRunView>('POST', `/runs/${runId}/cancel`);
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ run_id: runId, status: 'cancelled' });
      expect(cancelsReceived.filter((c) => c.payload.runId === runId)).toHaveLength(0);
    });

    it('refuses to cancel a run that finished otherwise: 409 INVALID_STATUS, nothing sent', async () => {
      for (const status of ['completed', 'failed', 'budget_exceeded'] as const) {
        const runId = await insertRun({ status });
        const response = await gw.api('POST', `/runs/${runId}/cancel`);
        expect([status, response.status, response.error?.code]).toEqual([status, 409, 'INVALID_STATUS']);
        expect(response.error?.message).toContain(`already ${status}`);
        expect(cancelsReceived.filter((c) => c.payload.runId === runId)).toHaveLength(0);
      }
    });

    it('answers 409 saying what the run became when it finished before the cancel took effect', async () => {
      const runId = await insertRun({ status: 'running' });
      cancelBehaviour.set(runId, 'complete');
      const response = await gw.api('POST', `/runs/${runId}/cancel`);
      expect(response.status).toBe(409);
      expect(response.error).toEqual({
        code: 'INVALID_STATUS',
        message: `run '${runId}' finished as completed before the cancel took effect`,
      });
    });

    it('answers 202 cancel_requested when the orchestrator does not confirm in time', async () => {
      const runId = await insertRun({ status: 'running' });
      cancelBehaviour.set(runId, 'ignore');
      const response = await gw.api<CancelRunView>('POST', `/runs/${runId}/cancel`);
      expect(response.status).toBe(202);
      expect(response.data).toEqual({ run_id: runId, status: 'running', cancel_requested: true });
      expect(cancelsReceived.filter((c) => c.payload.runId === runId)).toHaveLength(1);
    });

    it("answers 404 for an unknown or another tenant's run and 400 for a malformed id", async () => {
      const foreign = await insertRun({ tenantId: 'tenant-b', status: 'running' });
      for (const id of [randomUUID(), foreign]) {
        const response = await gw.api('POST', `/runs/${id}/cancel`);
        expect([response.status, response.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);
      }
      expect(cancelsReceived.filter((c) => c.payload.runId === foreign)).toHaveLength(0);
      const malformed = await gw.api('POST', '/runs/not-a-uuid/cancel');
      expect([malformed.status, malformed.error?.code]).toEqual([400, 'INVALID_ID']);
    });
  });

  describe('POST /runs/{id}/replay', () => {
    it('inserts a queued replay of the parent snapshot, linked to it, and starts it', async () => {
      const parentId = await insertRun({
        status: 'failed',
        maxCostUsd: 2.5,
        callbackUrl: 'http://localhost:9999/hook',
        inputData: { url: 'https://a.example' },
      });
      const response = await gw.api<ReplayAcceptedView>('POST', `/runs/${parentId}/replay`, {
        from_step: 'enrich',
      });
      expect(response.status).toBe(202);
      expect(response.data).toEqual({
        run_id: expect.any(String),
        new_run_id: response.data.run_id,
        parent_run_id: parentId,
        replay_from_step: 'enrich',
        status: 'queued',
      });
      const newId = response.data.run_id;
      expect(await runs().findOneByOrFail({ id: newId })).toMatchObject({
        tenantId: 'default',
        status: 'queued',
        kind: 'replay',
        parentRunId: parentId,
        rootRunId: parentId,
        replayFromStep: 'enrich',
        forkChanges: null,
        definition,
        workflowName: 'three-steps',
        workflowVersion: 3,
        inputData: { url: 'https://a.example' },
        maxCostUsd: 2.5,
        callbackUrl: 'http://localhost:9999/hook',
        idempotencyKey: null,
      });
      expect(await startCommandFor(newId)).toEqual({
        subject: gw.names.subjects.runStart,
        msgId: `start:${newId}`,
        payload: { v: 1, tenantId: 'default', runId: newId },
      });

      const view = await gw.api<RunView>('GET', `/runs/${newId}`);
      expect(view.data).toMatchObject({
        kind: 'replay',
        parent_run_id: parentId,
        root_run_id: parentId,
        replay_from_step: 'enrich',
        fork_changes: null,
      });
    });

    it("keeps the lineage root: a replay of a replay has the original's root", async () => {
      const rootId = await insertRun();
      const first = await gw.api<ReplayAcceptedView>('POST', `/runs/${rootId}/replay`, {
        from_step: 'report',
      });
      await runs().update({ id: first.data.new_run_id }, { status: 'completed' });
      const second = await gw.api<ReplayAcceptedView>('POST', `/runs/${first.data.new_run_id}/replay`, {
        from_step: 'fetch',
      });
      expect(second.status).toBe(202);
      expect(await runs().findOneByOrFail({ id: second.data.new_run_id })).toMatchObject({
        parentRunId: first.data.new_run_id,
        rootRunId: rootId,
      });
    });

    it('replays runs that ended in any final status, and refuses live ones with 409', async () => {
      for (const status of ['completed', 'failed', 'cancelled', 'budget_exceeded'] as const) {
        const id = await insertRun({ status });
        expect([status, (await gw.api('POST', `/runs/${id}/replay`, { from_step: 'fetch' })).status]).toEqual(
          [status, 202],
        );
      }
      for (const status of ['queued', 'running'] as const) {
        const id = await insertRun({ status });
        const response = await gw.api('POST', `/runs/${id}/replay`, { from_step: 'fetch' });
        expect([status, response.status, response.error?.code]).toEqual([status, 409, 'INVALID_STATUS']);
      }
    });

    it("refuses a step the parent's definition does not have with 400 INVALID_STEP", async () => {
      const parentId = await insertRun();
      const before = await runs().count();
      const response = await gw.api('POST', `/runs/${parentId}/replay`, { from_step: 'enrch' });
      expect(response.status).toBe(400);
      expect(response.error?.code).toBe('INVALID_STEP');
      expect(response.error?.message).toContain('fetch, enrich, report');
      expect(response.error?.details?.[0]?.field).toBe('from_step');
      expect(await runs().count()).toBe(before);
    });

    it("validates the body and answers 404 for an unknown or another tenant's run", async () => {
      const parentId = await insertRun();
      for (const body of [{}, { from_step: '' }, { from_step: 3 }, { from_step: 'fetch', extra: 1 }]) {
        const response = await gw.api('POST', `/runs/${parentId}/replay`, body);
        expect([JSON.stringify(body), response.status, response.error?.code]).toEqual([
          JSON.stringify(body),
          400,
          'VALIDATION_ERROR',
        ]);
      }
      const foreign = await insertRun({ tenantId: 'tenant-b' });
      for (const id of [randomUUID(), foreign]) {
        const response = await gw.api('POST', `/runs/${id}/replay`, { from_step: 'fetch' });
        expect([response.status, response.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);
      }
      expect((await gw.api('POST', '/runs/123/replay', { from_step: 'fetch' })).error?.code).toBe(
        'INVALID_ID',
      );
    });

    it('shows restored steps with restored_from = the parent run', async () => {
      const parentId = await insertRun();
      const replay = await gw.api<ReplayAcceptedView>('POST', `/runs/${parentId}/replay`, {
        from_step: 'report',
      });
      const newId = replay.data.new_run_id;
      // What the orchestrator writes when it starts the replay: restored copies, then a re-run step.
      await gw.db.dataSource.getRepository(RunStepEntity).insert([
        { runId: newId, tenantId: 'default', stepId: 'fetch', status: 'completed', restoredFrom: parentId },
        { runId: newId, tenantId: 'default', stepId: 'enrich', status: 'completed', restoredFrom: parentId },
        { runId: newId, tenantId: 'default', stepId: 'report', status: 'running' },
      ]);
      const view = await gw.api<RunView>('GET', `/runs/${newId}`);
      expect(view.data.steps.map((s) => [s.step_id, s.status, s.cost_usd, s.restored_from])).toEqual([
        ['fetch', 'completed', 0, parentId],
        ['enrich', 'completed', 0, parentId],
        ['report', 'running', 0, null],
      ]);
    });
  });

  describe('POST /runs/{id}/fork', () => {
    it('inserts a fork with the changes applied to that step and stored as sent', async () => {
      const parentId = await insertRun({ inputData: { url: 'https://old.example' } });
      const changes = {
        prompt: 'Enrich {steps.fetch.output} in depth',
        model: 'opus',
        max_turns: 4,
        timeout: 90,
        output_schema: { type: 'object', properties: { score: { type: 'number' } } },
      };
      const response = await gw.api<ForkAcceptedView>('POST', `/runs/${parentId}/fork`, {
        from_step: 'enrich',
        changes,
        input: { url: 'https://new.example' },
      });
      expect(response.status).toBe(202);
      expect(response.data).toEqual({
        run_id: expect.any(String),
        new_run_id: response.data.run_id,
        parent_run_id: parentId,
        fork_from_step: 'enrich',
        changes,
        status: 'queued',
      });
      const row = await runs().findOneByOrFail({ id: response.data.new_run_id });
      expect(row).toMatchObject({
        kind: 'fork',
        parentRunId: parentId,
        rootRunId: parentId,
        replayFromStep: 'enrich',
        forkChanges: changes,
        inputData: { url: 'https://new.example' },
      });
      const forked = row.definition as unknown as WorkflowDefinition;
      expect(forked.steps.find((s) => s.id === 'enrich')).toEqual({
        ...definition.steps.find((s) => s.id === 'enrich'),
        prompt: changes.prompt,
        model: 'opus',
        maxTurns: 4,
        timeout: 90,
        outputSchema: changes.output_schema,
      });
      expect(forked.steps.filter((s) => s.id !== 'enrich')).toEqual(
        definition.steps.filter((s) => s.id !== 'enrich'),
      );
      await startCommandFor(row.id);
      const view = await gw.api<RunView>('GET', `/runs/${row.id}`);
      expect(view.data).toMatchObject({ kind: 'fork', fork_changes: changes, replay_from_step: 'enrich' });
    });

    it("keeps the parent's input when none is given, and accepts a single change", async () => {
      const parentId = await insertRun({ inputData: { url: 'https://kept.example' } });
      const response = await gw.api<ForkAcceptedView>('POST', `/runs/${parentId}/fork`, {
        from_step: 'report',
        changes: { timeout: 30 },
      });
      expect(response.status).toBe(202);
      const row = await runs().findOneByOrFail({ id: response.data.new_run_id });
      expect(row.inputData).toEqual({ url: 'https://kept.example' });
      expect((row.definition as unknown as WorkflowDefinition).steps[2]).toMatchObject({
        timeout: 30,
        maxTurns: 10,
        model: 'haiku',
      });
    });

    it('refuses changes that break the workflow with 400 INVALID_WORKFLOW and the problems', async () => {
      const parentId = await insertRun();
      const before = await runs().count();
      const badTemplate = await gw.api('POST', `/runs/${parentId}/fork`, {
        from_step: 'enrich',
        changes: { prompt: 'Use {steps.report.output}', model: 'sonet', max_turns: 0 },
      });
      expect(badTemplate.status).toBe(400);
      expect(badTemplate.error?.code).toBe('INVALID_WORKFLOW');
      expect(badTemplate.error?.details?.map((d) => d.field).sort()).toEqual([
        'changes.max_turns',
        'changes.model',
        'changes.prompt',
      ]);
      expect(badTemplate.error?.details?.find((d) => d.field === 'changes.prompt')?.message).toContain(
        "'report' is not among this step's dependencies",
      );
      expect(await runs().count()).toBe(before);
    });

    it('refuses malformed changes with 400 VALIDATION_ERROR per field', async () => {
      const parentId = await insertRun();
      for (const [changes, field] of [
        [{ promt: 'x' }, 'changes.promt'],
        [{}, 'changes'],
        [{ prompt: null }, 'changes'],
        ['prompt', 'changes'],
        [{ max_turns: 'ten' }, 'changes.max_turns'],
        [{ output_schema: [] }, 'changes.output_schema'],
      ] as const) {
        const response = await gw.api('POST', `/runs/${parentId}/fork`, { from_step: 'enrich', changes });
        expect([JSON.stringify(changes), response.status, response.error?.code]).toEqual([
          JSON.stringify(changes),
          400,
          'VALIDATION_ERROR',
        ]);
        expect(response.error?.details?.map((d) => d.field)).toContain(field);
      }
      const missing = await gw.api('POST', `/runs/${parentId}/fork`, { from_step: 'enrich' });
      expect(missing.error?.details?.map((d) => d.field)).toEqual(['changes']);
      const badInput = await gw.api('POST', `/runs/${parentId}/fork`, {
        from_step: 'enrich',
        changes: { model: 'opus' },
        input: [1],
      });
      expect(badInput.error?.details?.map((d) => d.field)).toEqual(['input']);
    });

    it('checks the parent like a replay: 404, 409 and INVALID_STEP', async () => {
      const running = await insertRun({ status: 'running' });
      const done = await insertRun();
      const fork = (id: string, from_step = 'enrich') =>
        gw.api('POST', `/runs/${id}/fork`, { from_step, changes: { model: 'opus' } });
      expect((await fork(randomUUID())).error?.code).toBe('RUN_NOT_FOUND');
      expect((await fork(running)).error?.code).toBe('INVALID_STATUS');
      expect((await fork(done, 'nope')).error?.code).toBe('INVALID_STEP');
    });
  });

  describe('GET /runs/{id}/lineage', () => {
    it('shows the whole tree from the root, whichever run is asked for, children oldest first', async () => {
      const t0 = Date.parse('2031-01-01T00:00:00Z');
      const at = (minutes: number) => new Date(t0 + minutes * 60_000);
      const rootId = await insertRun({ createdAt: at(0), totalCostUsd: 0.5 });
      const lineage = (kind: 'replay' | 'fork', parentId: string, minutes: number, fromStep: string) =>
        insertRun({
          kind,
          parentRunId: parentId,
          rootRunId: rootId,
          replayFromStep: fromStep,
          createdAt: at(minutes),
          totalCostUsd: 0.1,
        });
      const fork = await lineage('fork', rootId, 2, 'report');
      const replay = await lineage('replay', rootId, 1, 'enrich');
      const replayOfReplay = await lineage('replay', replay, 3, 'report');
      // Another tenant's run pointing into the tree is not part of this tenant's lineage.
      await insertRun({ tenantId: 'tenant-b', parentRunId: rootId, rootRunId: rootId, kind: 'replay' });

      const expected: LineageNodeView = {
        run_id: rootId,
        status: 'completed',
        kind: 'original',
        from_step: null,
        total_cost_usd: 0.5,
        created_at: at(0).toISOString(),
        children: [
          {
            run_id: replay,
            status: 'completed',
            kind: 'replay',
            from_step: 'enrich',
            total_cost_usd: 0.1,
            created_at: at(1).toISOString(),
            children: [
              {
                run_id: replayOfReplay,
                status: 'completed',
                kind: 'replay',
                from_step: 'report',
                total_cost_usd: 0.1,
                created_at: at(3).toISOString(),
                children: [],
              },
            ],
          },
          {
            run_id: fork,
            status: 'completed',
            kind: 'fork',
            from_step: 'report',
            total_cost_usd: 0.1,
            created_at: at(2).toISOString(),
            children: [],
          },
        ],
      };
      for (const id of [rootId, replay, replayOfReplay, fork]) {
        const response = await gw.api<LineageNodeView>('GET', `/runs/${id}/lineage`);
        expect(response.status).toBe(200);
        expect(response.data).toEqual(expected);
      }
    });

    it('includes runs created through the API, and a lone run is a tree of one', async () => {
      const rootId = await insertRun();
      const replay = await gw.api<ReplayAcceptedView>('POST', `/runs/${rootId}/replay`, {
        from_step: 'fetch',
      });
      const tree = await gw.api<LineageNodeView>('GET', `/runs/${replay.data.new_run_id}/lineage`);
      expect(tree.data.run_id).toBe(rootId);
      expect(tree.data.children.map((c) => [c.run_id, c.kind, c.status])).toEqual([
        [replay.data.new_run_id, 'replay', 'queued'],
      ]);
      const lone = await insertRun();
      expect((await gw.api<LineageNodeView>('GET', `/runs/${lone}/lineage`)).data).toMatchObject({
        run_id: lone,
        children: [],
      });
    });

    it("answers 404 for an unknown or another tenant's run", async () => {
      const foreign = await insertRun({ tenantId: 'tenant-b' });
      for (const id of [randomUUID(), foreign]) {
        expect((await gw.api('GET', `/runs/${id}/lineage`)).error?.code).toBe('RUN_NOT_FOUND');
      }
    });
  });

  describe('idempotent POST /workflows/run', () => {
    const yaml = 'name: Idempotent Flow\nsteps:\n  - id: only\n    prompt: "Hi {input.n}"\n';

    it('creates exactly one run for 50 identical concurrent requests; every answer names it', async () => {
      const key = `burst-${randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          gw.api<RunAcceptedView>(
            'POST',
            '/workflows/run',
            { workflow: yaml, input: { n: 1 } },
            { 'Idempotency-Key': key },
          ),
        ),
      );
      const ids = new Set(answers.map((a) => a.data.run_id));
      expect(ids.size).toBe(1);
      expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
      const repeats = answers.filter((a) => a.status === 200);
      expect(repeats).toHaveLength(49);
      for (const repeat of repeats) expect(repeat.data).toMatchObject({ idempotent: true });
      expect(await runs().countBy({ idempotencyKey: key })).toBe(1);

      const conflict = await gw.api(
        'POST',
        '/workflows/run',
        { workflow: yaml, input: { n: 2 } },
        { 'Idempotency-Key': key },
      );
      expect([conflict.status, conflict.error?.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    });

    it('scopes keys by tenant', async () => {
      const key = `tenant-${randomUUID()}`;
      await insertRun({ tenantId: 'tenant-b', idempotencyKey: key, requestHash: 'x'.repeat(64) });
      const response = await gw.api<RunAcceptedView>('POST', '/workflows/run', {
        workflow: yaml,
        idempotency_key: key,
      });
      expect(response.status).toBe(202);
    });
  });
});
