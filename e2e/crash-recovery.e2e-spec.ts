import { E2eStack, yaml } from './support/e2e-stack';

/**
 * DESIGN.md's durability rules under real process crashes: SIGKILL, not a graceful stop.
 */
describe('crash recovery', () => {
  let sc: E2eStack;

  beforeAll(async () => {
    sc = await E2eStack.start({
      executors: 2,
      env: {
        // A killed executor's dispatch goes to the other one after this long without a heartbeat.
        EXECUTOR_ACK_WAIT_MS: 2000,
        // Heartbeats keep a long step on its executor well past the ack wait.
        LOST_ATTEMPT_GRACE_SECONDS: 2,
        // An attempt nobody starts is presumed lost after 1 s + its timeout + the grace.
        QUEUE_ALLOWANCE_SECONDS: 1,
        // A stopping executor waits this long for running attempts, then hands them back.
        EXECUTOR_DRAIN_TIMEOUT_MS: 500,
      },
    });
  });

  afterAll(async () => {
    await sc?.stop();
  });

  async function runningOn(runId: string, stepId: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await sc.db.query(
        `SELECT status, executor_id FROM run_steps WHERE run_id = $1 AND step_id = $2 AND item_index = -1`,
        [runId, stepId],
      );
      if (rows[0]?.status === 'running' && rows[0].executor_id) return rows[0].executor_id as string;
      if (Date.now() > deadline) throw new Error(`step ${stepId} never ran`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('retries the attempt of a SIGKILLed executor on another executor, and the run completes', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Long Step',
        'runtime: simulated',
        'steps:',
        '  - id: long',
        '    prompt: "takes a while"',
        '    simulation: { latency_ms: 5000 }',
        '  - id: next',
        '    depends_on: [long]',
        '    prompt: "after {steps.long.output}"',
      ]),
    });
    const executorId = await runningOn(runId, 'long');
    const victim = executorId.includes(`:${sc.stack.processes.get('executor')!.pid}`)
      ? 'executor'
      : 'executor-2';
    await sc.stack.kill(victim, 'SIGKILL');

    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    const long = run.steps.find((s) => s.step_id === 'long')!;
    // The same attempt ran again elsewhere: no failed attempt was charged to the step.
    expect(long.attempt).toBe(1);
    const attempts = await sc.db.query(
      `SELECT attempt, outcome, executor_id FROM step_attempts WHERE run_id = $1 AND step_id = 'long'`,
      [runId],
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0].executor_id).not.toBe(executorId);
    await sc.stack.start(victim);
  });

  it('hands a running attempt back when an executor is stopped gracefully (SIGTERM)', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Drained',
        'runtime: simulated',
        'steps:',
        '  - id: long',
        '    prompt: "long"',
        '    simulation: { latency_ms: 4000 }',
      ]),
    });
    const executorId = await runningOn(runId, 'long');
    const victim = executorId.includes(`:${sc.stack.processes.get('executor')!.pid}`)
      ? 'executor'
      : 'executor-2';
    const exit = await sc.stack.kill(victim, 'SIGTERM');
    expect(exit.code).toBe(0);
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ attempt: 1, status: 'completed' });
    const attempts = await sc.db.query(`SELECT executor_id FROM step_attempts WHERE run_id = $1`, [runId]);
    expect(attempts).toHaveLength(1);
    expect(attempts[0].executor_id).not.toBe(executorId);
    await sc.stack.start(victim);
  });

  it('resumes a run after the orchestrator is SIGKILLed mid-run', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Chain',
        'runtime: simulated',
        'steps:',
        '  - id: one',
        '    prompt: "1"',
        '    simulation: { latency_ms: 1500 }',
        '  - id: two',
        '    depends_on: [one]',
        '    prompt: "2 {steps.one.output}"',
        '    simulation: { latency_ms: 500 }',
        '  - id: three',
        '    depends_on: [two]',
        '    prompt: "3"',
      ]),
    });
    await runningOn(runId, 'one');
    await sc.stack.kill('orchestrator', 'SIGKILL');
    // Results pile up in the stream while the orchestrator is down.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await sc.getRun(runId)).status).toBe('running');
    await sc.stack.start('orchestrator');
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => [s.step_id, s.status, s.attempt])).toEqual([
      ['one', 'completed', 1],
      ['two', 'completed', 1],
      ['three', 'completed', 1],
    ]);
  });

  it('fails an attempt no executor reports on, and retries it (the reconciler)', async () => {
    await sc.stack.kill('executor', 'SIGKILL');
    await sc.stack.kill('executor-2', 'SIGKILL');
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Lost',
        'runtime: simulated',
        'steps:',
        '  - id: only',
        '    prompt: "anyone?"',
        '    timeout: 1',
        // Room for more lost attempts while the restarted executor boots (slow on a busy machine).
        '    retry: { max_attempts: 6, backoff: fixed, base_delay_seconds: 0.1 }',
      ]),
    });
    // Nothing runs it: after queue allowance + timeout + grace (1 + 1 + 2 s) it is presumed lost.
    const retried = await sc.waitForRun(runId, (r) => r.steps[0]?.attempt === 2, 30_000);
    expect(retried.steps[0]!.status).toBe('queued');
    const lost = await sc.db.query(
      `SELECT outcome, error_kind FROM step_attempts WHERE run_id = $1 AND attempt = 1`,
      [runId],
    );
    expect(lost).toEqual([{ outcome: 'failed', error_kind: 'lost' }]);
    await sc.stack.start('executor');
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
  });
});
