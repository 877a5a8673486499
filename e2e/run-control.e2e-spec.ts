import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { natsNames, type RunView, type StepView } from '@sandcastle/contracts';
import {
  startFakeSandstorm,
  type FakeSandstorm,
  type RecordedRequest,
} from '../test/support/fake-sandstorm-server';
import { E2eStack, NATS_URL, yaml } from './support/e2e-stack';

interface LineageNode {
  run_id: string;
  kind: string;
  status: string;
  from_step: string | null;
  total_cost_usd: number;
  children: LineageNode[];
}

interface DeadLetterItem {
  id: string;
  run_id: string;
  step_id: string;
  parallel_index: number | null;
  error: string;
  attempts: number;
  resolved_by: string | null;
  resolution_reason: string | null;
  retry_run_id: string | null;
}

/**
 * Run control through all five services, driven over HTTP: Time Machine (replay, fork, lineage),
 * cancellation, budgets, idempotency and the dead letter queue. Steps run on a local fake
 * Sandstorm (`sandstorm_url: "${FAKE_SANDSTORM}"`), so the test sees exactly which steps reached
 * the agent runtime, with which prompt and model, and when a connection was closed.
 *
 * Prompts start with `<step> <tag>` (the tag is unique per test) so requests can be counted per
 * step; `[fake:…]` markers go last, because a prompt that embeds an earlier step's output also
 * embeds that step's markers, and the fake takes the last one.
 */
describe('run control end to end', () => {
  let fake: FakeSandstorm;
  let sc: E2eStack;
  let nc: NatsConnection;

  beforeAll(async () => {
    fake = await startFakeSandstorm({ pingIntervalMs: 100 });
    // The fake is a configured endpoint, and FAKE_SANDSTORM an allow-listed variable naming it.
    sc = await E2eStack.start({
      env: {
        FAKE_SANDSTORM: fake.url,
        SANDSTORM_ENDPOINTS: `fake=${fake.url}`,
        WORKFLOW_ENV_ALLOWLIST: 'SANDSTORM_URL,FAKE_SANDSTORM',
      },
    });
    nc = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
    await sc?.stop();
    await fake?.close();
  });

  const newTag = () => randomBytes(4).toString('hex');

  const workflow = (title: string, steps: string[], top: string[] = []) =>
    yaml([`name: ${title}`, 'sandstorm_url: "${FAKE_SANDSTORM}"', ...top, 'steps:', ...steps]);

  const promptOf = (r: RecordedRequest): string => {
    const prompt = (r.body as { prompt?: unknown } | null)?.prompt;
    return typeof prompt === 'string' ? prompt : '';
  };

  /** Requests the fake got for one step of the runs tagged `tag`. */
  const queries = (step: string, tag: string) =>
    fake.requests.filter((r) => r.path === '/query' && promptOf(r).startsWith(`${step} ${tag}`));

  const stepOf = (run: RunView, id: string): StepView => {
    const step = run.steps.find((s) => s.step_id === id);
    if (!step) throw new Error(`run ${run.run_id} has no step ${id}`);
    return step;
  };

  async function until(
    what: string,
    done: () => boolean | Promise<boolean>,
    timeoutMs = 30_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Every event the orchestrator published for a run (its subject in the EVENTS stream). */
  async function runEvents(runId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const names = natsNames(sc.stack.natsNamespace);
    const consumer = await jetstream(nc).consumers.get(names.streams.events, {
      filter_subjects: names.runEvents(runId),
    });
    const events: { type: string; data: Record<string, unknown> }[] = [];
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
      let count = 0;
      for await (const m of batch) {
        events.push(m.json());
        count++;
      }
      if (count === 0) return events;
    }
  }

  const threeSteps = workflow('Three Steps', [
    '  - id: fetch',
    '    prompt: "fetch {input.tag} [fake:cost=0.1]"',
    '  - id: enrich',
    '    depends_on: [fetch]',
    '    prompt: "enrich {input.tag} from {steps.fetch.output} [fake:cost=0.2]"',
    '  - id: report',
    '    depends_on: [enrich]',
    '    prompt: "report {input.tag} on {steps.enrich.output} [fake:cost=0.3]"',
  ]);

  async function finishedRun(request: Record<string, unknown>): Promise<RunView> {
    const run = await sc.waitForRun(await sc.startRun(request));
    expect(run.status).toBe('completed');
    return run;
  }

  async function replay(runId: string, fromStep: string): Promise<string> {
    const answer = await sc.api<{ new_run_id: string }>('POST', `/runs/${runId}/replay`, {
      from_step: fromStep,
    });
    expect(answer.status).toBe(202);
    return answer.body.data.new_run_id;
  }

  describe('Time Machine', () => {
    const tag = newTag();
    let original: RunView;
    let firstReplay: RunView;

    it('replays from the middle step: only it and its dependents reach Sandstorm again', async () => {
      original = await finishedRun({ workflow: threeSteps, input: { tag } });
      expect(original.total_cost_usd).toBeCloseTo(0.6, 6);

      firstReplay = await sc.waitForRun(await replay(original.run_id, 'enrich'));
      expect(firstReplay).toMatchObject({
        status: 'completed',
        kind: 'replay',
        parent_run_id: original.run_id,
        root_run_id: original.run_id,
        replay_from_step: 'enrich',
      });
      expect(
        [queries('fetch', tag), queries('enrich', tag), queries('report', tag)].map((q) => q.length),
      ).toEqual([1, 2, 2]);
      expect(stepOf(firstReplay, 'fetch')).toMatchObject({
        status: 'completed',
        cost_usd: 0,
        restored_from: original.run_id,
        output: stepOf(original, 'fetch').output,
      });
      for (const id of ['enrich', 'report']) {
        expect(stepOf(firstReplay, id)).toMatchObject({ status: 'completed', restored_from: null });
      }
      expect(stepOf(firstReplay, 'enrich').cost_usd).toBeCloseTo(0.2, 6);
      // The re-run step was rendered with the restored output.
      expect(promptOf(queries('enrich', tag)[1]!)).toContain(String(stepOf(original, 'fetch').output));
      expect(firstReplay.total_cost_usd).toBeCloseTo(0.5, 6);
    });

    it('replays a replay, and shows the chain as a lineage tree of three', async () => {
      const second = await sc.waitForRun(await replay(firstReplay.run_id, 'report'));
      expect(second).toMatchObject({ status: 'completed', parent_run_id: firstReplay.run_id });
      expect(second.root_run_id).toBe(original.run_id);
      expect(
        [queries('fetch', tag), queries('enrich', tag), queries('report', tag)].map((q) => q.length),
      ).toEqual([1, 2, 3]);
      expect(second.total_cost_usd).toBeCloseTo(0.3, 6);
      expect(stepOf(second, 'enrich')).toMatchObject({ cost_usd: 0, restored_from: firstReplay.run_id });

      const lineage = await sc.api<LineageNode>('GET', `/runs/${second.run_id}/lineage`);
      expect(lineage.status).toBe(200);
      const tree = lineage.body.data;
      expect(tree).toMatchObject({ run_id: original.run_id, kind: 'original', from_step: null });
      expect(tree.children).toHaveLength(1);
      expect(tree.children[0]).toMatchObject({
        run_id: firstReplay.run_id,
        kind: 'replay',
        from_step: 'enrich',
      });
      expect(tree.children[0]!.children).toHaveLength(1);
      const leaf = tree.children[0]!.children[0]!;
      expect(leaf).toMatchObject({
        run_id: second.run_id,
        status: 'completed',
        kind: 'replay',
        from_step: 'report',
      });
      expect(leaf.children).toEqual([]);
      expect(leaf.total_cost_usd).toBeCloseTo(0.3, 6);
    });

    it('replays a fan-out step: every item runs again, the step before it is restored', async () => {
      const fanTag = newTag();
      const fanOut = workflow('Fan Out', [
        '  - id: prep',
        '    prompt: "prep {input.tag} [fake:cost=0.01]"',
        '  - id: each',
        '    depends_on: [prep]',
        '    parallel_over: input.items',
        '    prompt: "each {input.tag} {input._item} [fake:cost=0.05]"',
        '  - id: sum',
        '    depends_on: [each]',
        '    prompt: "sum {input.tag} [fake:cost=0.01]"',
      ]);
      const parent = await finishedRun({ workflow: fanOut, input: { tag: fanTag, items: ['a', 'b', 'c'] } });
      expect(queries('each', fanTag)).toHaveLength(3);

      const run = await sc.waitForRun(await replay(parent.run_id, 'each'));
      expect(run.status).toBe('completed');
      expect(
        [queries('prep', fanTag), queries('each', fanTag), queries('sum', fanTag)].map((q) => q.length),
      ).toEqual([1, 6, 2]);
      const items = run.steps.filter((s) => s.step_id === 'each');
      expect(items.map((s) => [s.parallel_index, s.status, s.restored_from])).toEqual([
        [0, 'completed', null],
        [1, 'completed', null],
        [2, 'completed', null],
      ]);
      expect(stepOf(run, 'prep')).toMatchObject({ cost_usd: 0, restored_from: parent.run_id });
      expect(run.total_cost_usd).toBeCloseTo(0.16, 6);
    });

    it('forks with a changed prompt and model: Sandstorm receives them for that step', async () => {
      const forkTag = newTag();
      const parent = await finishedRun({ workflow: threeSteps, input: { tag: forkTag } });
      const changes = {
        prompt: 'enrich-v2 {input.tag} deeper {steps.fetch.output} [fake:cost=0.25]',
        model: 'opus',
      };
      const answer = await sc.api<{ new_run_id: string; changes: unknown }>(
        'POST',
        `/runs/${parent.run_id}/fork`,
        {
          from_step: 'enrich',
          changes,
        },
      );
      expect(answer.status).toBe(202);
      expect(answer.body.data).toMatchObject({
        parent_run_id: parent.run_id,
        fork_from_step: 'enrich',
        changes,
      });

      const fork = await sc.waitForRun(answer.body.data.new_run_id);
      expect(fork).toMatchObject({ status: 'completed', kind: 'fork', fork_changes: changes });
      const [changed] = queries('enrich-v2', forkTag);
      expect(changed?.body).toMatchObject({ model: 'opus' });
      expect(promptOf(changed!)).toContain(String(stepOf(parent, 'fetch').output));
      expect(queries('fetch', forkTag)).toHaveLength(1);
      expect(queries('report', forkTag)).toHaveLength(2);
      expect(stepOf(fork, 'enrich')).toMatchObject({ model: expect.stringContaining('opus') });
      expect(fork.total_cost_usd).toBeCloseTo(0.55, 6);

      const bad = await sc.api('POST', `/runs/${parent.run_id}/fork`, {
        from_step: 'enrich',
        changes: { prompt: 'enrich {steps.report.output}' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'INVALID_WORKFLOW' });
      expect(bad.body.error!.details!.map((d) => d.field)).toEqual(['changes.prompt']);
    });
  });

  describe('cancellation', () => {
    const slowFlow = workflow('Slow Flow', [
      '  - id: quick',
      '    prompt: "quick {input.tag} [fake:cost=0.1]"',
      '  - id: slow',
      '    depends_on: [quick]',
      '    prompt: "slow {input.tag} [fake:slow=30000]"',
      '  - id: never',
      '    depends_on: [slow]',
      '    prompt: "never {input.tag}"',
    ]);

    it('cancels while a 30-second step runs: the Sandstorm connection closes, costs so far are kept', async () => {
      const tag = newTag();
      const runId = await sc.startRun({ workflow: slowFlow, input: { tag } });
      await until('the slow step to reach Sandstorm', () => queries('slow', tag).length === 1);
      const disconnectsBefore = fake.disconnects;

      const answer = await sc.api<{ run_id: string; status: string }>('POST', `/runs/${runId}/cancel`);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ run_id: runId, status: 'cancelled' });
      await fake.waitForDisconnects(disconnectsBefore + 1, 2000);

      const run = await sc.waitForRun(runId, (r) =>
        r.steps.every((s) => !['queued', 'running'].includes(s.status)),
      );
      expect(run.status).toBe('cancelled');
      expect(run.error).toBe('Cancelled by user');
      expect(stepOf(run, 'quick')).toMatchObject({ status: 'completed' });
      expect(stepOf(run, 'slow').status).toBe('cancelled');
      expect(stepOf(run, 'never').status).toBe('cancelled');
      expect(run.total_cost_usd).toBeCloseTo(0.1, 6);
      expect(queries('never', tag)).toHaveLength(0);
    });

    it('answers two cancels at once with 200 each, and a completed run with 409', async () => {
      const tag = newTag();
      const runId = await sc.startRun({ workflow: slowFlow, input: { tag } });
      await until('the slow step to reach Sandstorm', () => queries('slow', tag).length === 1);
      const answers = await Promise.all([
        sc.api('POST', `/runs/${runId}/cancel`),
        sc.api('POST', `/runs/${runId}/cancel`),
      ]);
      expect(answers.map((a) => [a.status, a.body.data])).toEqual([
        [200, { run_id: runId, status: 'cancelled' }],
        [200, { run_id: runId, status: 'cancelled' }],
      ]);
      const again = await sc.api('POST', `/runs/${runId}/cancel`);
      expect([again.status, again.body.data]).toEqual([200, { run_id: runId, status: 'cancelled' }]);

      const done = await finishedRun({ workflow: threeSteps, input: { tag: newTag() } });
      const refused = await sc.api('POST', `/runs/${done.run_id}/cancel`);
      expect([refused.status, refused.body.error?.code]).toEqual([409, 'INVALID_STATUS']);
    });

    it('never answers 500 when a cancel races the last step finishing, and the outcome is consistent', async () => {
      // The step takes 100 ms once it reached Sandstorm; cancels are sent around that moment.
      for (const delayMs of [0, 40, 50, 60, 65, 70, 75, 80, 90, 120, 200]) {
        const tag = newTag();
        const runId = await sc.startRun({
          workflow: workflow('Short Step', [
            `  - id: short`,
            `    prompt: "short {input.tag} [fake:slow=100]"`,
          ]),
          input: { tag },
        });
        await until('the short step to reach Sandstorm', () => queries('short', tag).length === 1);
        await new Promise((r) => setTimeout(r, delayMs));
        const answer = await sc.api<{ status: string }>('POST', `/runs/${runId}/cancel`);
        const run = await sc.waitForRun(runId);
        if (answer.status === 200) {
          expect([delayMs, answer.body.data.status, run.status]).toEqual([delayMs, 'cancelled', 'cancelled']);
          expect(run.steps[0]!.status).not.toBe('running');
        } else {
          expect([delayMs, answer.status, answer.body.error?.code]).toEqual([delayMs, 409, 'INVALID_STATUS']);
          expect(answer.body.error!.message).toContain(run.status);
          expect([run.status, run.steps[0]!.status]).toEqual(['completed', 'completed']);
        }
      }
    });

    it('cancels a run whose steps wait for an executor', async () => {
      const tag = newTag();
      await sc.stack.kill('executor', 'SIGTERM');
      const runId = await sc.startRun({ workflow: slowFlow, input: { tag } }).catch(async (err: unknown) => {
        await sc.stack.start('executor');
        throw err;
      });
      try {
        await sc.waitForRun(runId, (r) => r.steps.some((s) => s.status === 'queued'));
        const answer = await sc.api('POST', `/runs/${runId}/cancel`);
        expect([answer.status, answer.body.data]).toEqual([200, { run_id: runId, status: 'cancelled' }]);
        expect((await sc.getRun(runId)).steps.map((s) => s.status)).toEqual([
          'cancelled',
          'cancelled',
          'cancelled',
        ]);
      } finally {
        await sc.stack.start('executor');
      }
      // A run started after the restart has been served once it completes, and so would any
      // dispatch left in the queue before it.
      await finishedRun({ workflow: threeSteps, input: { tag: newTag() } });
      // The dispatch queued before the cancel is skipped by the executor that takes it later
      // (it learns of the stopped run from the stopped-runs bucket): Sandstorm is never called.
      expect(queries('quick', tag)).toHaveLength(0);
      expect(queries('slow', tag)).toHaveLength(0);
      expect((await sc.getRun(runId)).status).toBe('cancelled');
    });

    it('cancels a queued run (no orchestrator to take it yet): 202 at first, then cancelled', async () => {
      const tag = newTag();
      await sc.stack.kill('orchestrator', 'SIGTERM');
      const runId = await sc.startRun({ workflow: slowFlow, input: { tag } }).catch(async (err: unknown) => {
        await sc.stack.start('orchestrator');
        throw err;
      });
      try {
        const answer = await sc.api('POST', `/runs/${runId}/cancel`);
        expect([answer.status, answer.body.data]).toEqual([
          202,
          { run_id: runId, status: 'queued', cancel_requested: true },
        ]);
      } finally {
        await sc.stack.start('orchestrator');
      }
      const run = await sc.waitForRun(runId);
      expect(run.status).toBe('cancelled');
      await finishedRun({ workflow: threeSteps, input: { tag: newTag() } });
      // The cancel request is recorded on the run row, so the restarted orchestrator honours it
      // even though `run.start` comes first in the stream: the run never starts.
      expect(queries('quick', tag)).toHaveLength(0);
      expect(queries('slow', tag)).toHaveLength(0);
    });
  });

  describe('budget', () => {
    it('stops a run once its cost reaches the budget, after warning at 80 %', async () => {
      const tag = newTag();
      const runId = await sc.startRun({
        workflow: workflow('Budgeted', [
          '  - id: b1',
          '    prompt: "b1 {input.tag} [fake:cost=0.4]"',
          '  - id: b2',
          '    depends_on: [b1]',
          '    prompt: "b2 {input.tag} [fake:cost=0.4]"',
          '  - id: b3',
          '    depends_on: [b2]',
          '    prompt: "b3 {input.tag} [fake:cost=0.4]"',
        ]),
        input: { tag },
        max_cost_usd: 1.0,
      });
      const run = await sc.waitForRun(runId);
      expect(run.status).toBe('budget_exceeded');
      expect(run.error).toMatch(/^Budget exceeded/);
      expect(run.total_cost_usd).toBeCloseTo(1.2, 6);
      expect(run.max_cost_usd).toBe(1);
      expect(run.steps.map((s) => s.status)).toEqual(['completed', 'completed', 'completed']);

      const budgetEvents = (await runEvents(runId)).filter((e) => e.type === 'budget');
      expect(budgetEvents).toHaveLength(1);
      expect(budgetEvents[0]!.data).toMatchObject({ max_cost_usd: 1, ratio: 0.8 });
      expect(budgetEvents[0]!.data['total_cost_usd']).toBeCloseTo(0.8, 6);
    });

    it('never starts a step after parallel steps spent the budget', async () => {
      const tag = newTag();
      const parallel = ['p1', 'p2', 'p3', 'p4'];
      const runId = await sc.startRun({
        workflow: workflow('Parallel Budget', [
          ...parallel.flatMap((id) => [`  - id: ${id}`, `    prompt: "${id} {input.tag} [fake:cost=0.4]"`]),
          '  - id: after',
          `    depends_on: [${parallel.join(', ')}]`,
          '    prompt: "after {input.tag}"',
        ]),
        input: { tag },
        max_cost_usd: 1.0,
      });
      const run = await sc.waitForRun(runId);
      expect(run.status).toBe('budget_exceeded');
      expect(run.error).toMatch(/^Budget exceeded/);
      expect(run.total_cost_usd).toBeGreaterThanOrEqual(1);
      expect(stepOf(run, 'after').status).not.toBe('completed');
      expect(queries('after', tag)).toHaveLength(0);
    });
  });

  it('does not run fan-out items still queued when the budget is spent (no overshoot past what was in flight)', async () => {
    const tag = newTag();
    // 40 items while one executor runs at most 32 attempts at once (EXECUTOR_CONCURRENCY default):
    // 8 items wait in the queue. Item 0 finishes fast and pushes the run over budget while the
    // other 31 are still running: they are aborted, and the 8 queued items never reach Sandstorm.
    const items = Array.from({ length: 40 }, (_, i) => (i === 0 ? '[fake:slow=300]' : '[fake:slow=30000]'));
    const runId = await sc.startRun({
      workflow: workflow('Fan-out Budget', [
        '  - id: pre',
        '    prompt: "pre {input.tag} [fake:cost=0.9]"',
        '  - id: each',
        '    depends_on: [pre]',
        '    parallel_over: input.items',
        '    prompt: "each {input.tag} {input._item} [fake:cost=0.4]"',
      ]),
      input: { tag, items },
      max_cost_usd: 1.0,
    });
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('budget_exceeded');
    expect(run.error).toMatch(/^Budget exceeded/);
    // Give any straggler time to show up at the fake before counting.
    await new Promise((r) => setTimeout(r, 1500));
    // At most the 32 that were running, plus the one that item 0's freed slot may have started
    // before the stop reached the executor: 7 or more queued items never ran.
    expect(queries('each', tag).length).toBeLessThanOrEqual(33);
    const final = await sc.getRun(runId);
    expect(final.total_cost_usd).toBeCloseTo(1.3, 6);
  });

  it('creates one run for 50 identical concurrent requests with the same idempotency key', async () => {
    const key = `e2e-${newTag()}`;
    const request = {
      workflow: yaml(['name: Once', 'runtime: simulated', 'steps:', '  - id: only', '    prompt: "once"']),
      input: { n: 1 },
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        sc.api<{ run_id: string; idempotent?: boolean }>('POST', '/workflows/run', request, {
          'Idempotency-Key': key,
        }),
      ),
    );
    expect(new Set(answers.map((a) => a.body.data.run_id)).size).toBe(1);
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(49).fill(200), 202]);
    expect(answers.filter((a) => a.body.data.idempotent === true)).toHaveLength(49);
    const rows = await sc.db.query(`SELECT id FROM runs WHERE idempotency_key = $1`, [key]);
    expect(rows).toHaveLength(1);
    const conflict = await sc.api(
      'POST',
      '/workflows/run',
      { ...request, input: { n: 2 } },
      { 'Idempotency-Key': key },
    );
    expect([conflict.status, conflict.body.error?.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
  });

  it('parks a failing step in the dead letter queue; retry starts a linked run; resolve closes once', async () => {
    const tag = newTag();
    const dlqFlow = workflow(
      'DLQ Flow',
      [
        '  - id: first',
        '    prompt: "first {input.tag} [fake:cost=0.01]"',
        '  - id: broken',
        '    depends_on: [first]',
        '    prompt: "broken {input.tag} [fake:error]"',
        '  - id: last',
        '    depends_on: [broken]',
        '    prompt: "last {input.tag} [fake:cost=0.01]"',
      ],
      ['on_failure: { dead_letter: true }'],
    );
    const run = await finishedRun({ workflow: dlqFlow, input: { tag } });
    expect(stepOf(run, 'broken')).toMatchObject({ status: 'failed', output: null });
    expect(stepOf(run, 'broken').error).toContain('fake sandbox failure');
    expect(stepOf(run, 'last').status).toBe('completed');

    const open = await sc.api<DeadLetterItem[]>('GET', '/dead-letter');
    expect(open.status).toBe(200);
    const item = open.body.data.find((i) => i.run_id === run.run_id);
    expect(item).toMatchObject({ step_id: 'broken', parallel_index: null, attempts: 1, resolved_by: null });
    expect(item!.error).toContain('fake sandbox failure');
    expect(open.body.meta!['open']).toBeGreaterThanOrEqual(1);

    const retried = await sc.api<{ retried: boolean; dlq_item_id: string; new_run_id: string }>(
      'POST',
      `/dead-letter/${item!.id}/retry`,
    );
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ retried: true, dlq_item_id: item!.id });
    const retryRun = await sc.waitForRun(retried.body.data.new_run_id);
    expect(retryRun).toMatchObject({ status: 'completed', kind: 'original', parent_run_id: run.run_id });
    expect(queries('first', tag)).toHaveLength(2);
    const again = await sc.api('POST', `/dead-letter/${item!.id}/retry`);
    expect([again.status, again.body.error?.code]).toEqual([409, 'ALREADY_RESOLVED']);

    // The retry failed the same way: a new item, which is closed by hand.
    const items = await sc.api<DeadLetterItem[]>('GET', '/dead-letter?resolved=true&limit=200');
    expect(items.body.data.find((i) => i.id === item!.id)).toMatchObject({
      resolved_by: 'retry',
      retry_run_id: retryRun.run_id,
    });
    const second = items.body.data.find((i) => i.run_id === retryRun.run_id);
    const resolved = await sc.api<DeadLetterItem>('POST', `/dead-letter/${second!.id}/resolve`, {
      reason: 'the source is known to be down',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({
      resolved_by: 'manual',
      resolution_reason: 'the source is known to be down',
    });
    const twice = await sc.api('POST', `/dead-letter/${second!.id}/resolve`, { reason: 'again' });
    expect([twice.status, twice.body.error?.code]).toEqual([409, 'ALREADY_RESOLVED']);
  });

  it('keeps a checkpoint per completed step: running totals, and the outputs known after each', async () => {
    const run = await finishedRun({ workflow: threeSteps, input: { tag: newTag() } });
    const list = await sc.api<{ seq: number; step_id: string; status: string; total_cost_usd: number }[]>(
      'GET',
      `/runs/${run.run_id}/checkpoints`,
    );
    expect(list.status).toBe(200);
    expect(list.body.data.map((c) => [c.seq, c.step_id, c.status])).toEqual([
      [1, 'fetch', 'completed'],
      [2, 'enrich', 'completed'],
      [3, 'report', 'completed'],
    ]);
    const totals = list.body.data.map((c) => c.total_cost_usd);
    expect(totals[0]).toBeCloseTo(0.1, 6);
    expect(totals[1]).toBeCloseTo(0.3, 6);
    expect(totals[2]).toBeCloseTo(0.6, 6);
    expect(totals[2]).toBeCloseTo(run.total_cost_usd, 6);

    const second = await sc.api<{
      seq: number;
      step_id: string;
      outputs: Record<string, unknown>;
      costs: Record<string, number>;
      total_cost_usd: number;
    }>('GET', `/runs/${run.run_id}/checkpoints/2`);
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({ seq: 2, step_id: 'enrich' });
    expect(second.body.data.outputs).toEqual({
      fetch: stepOf(run, 'fetch').output,
      enrich: stepOf(run, 'enrich').output,
    });
    expect(Object.keys(second.body.data.costs)).toEqual(['fetch', 'enrich']);
    expect(second.body.data.total_cost_usd).toBeCloseTo(0.3, 6);

    const past = await sc.api('GET', `/runs/${run.run_id}/checkpoints/4`);
    expect([past.status, past.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
  });
});
