import { StoppedRuns } from '@sandcastle/messaging';
import { randomUUID } from 'node:crypto';
import { startFakeSandstorm, type FakeSandstorm } from '../../../../test/support/fake-sandstorm-server';
import { ExecutorTestBed, metricValue, type ExecutorProcess } from '../testing/executor-test-app';

describe('executor refuses dispatches that are no longer current (real NATS, fake Sandstorm)', () => {
  const bed = new ExecutorTestBed();
  let fake: FakeSandstorm;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    fake = await startFakeSandstorm();
    await bed.setUp();
    executor = await bed.start({ SANDSTORM_URL: fake.url, STEP_STARTED_DELAY_MS: '60000' });
  });

  afterAll(async () => {
    await bed.tearDown();
    await fake.close();
  });

  const withDeadline = (runId: string, deadlineAt: Date | undefined) =>
    bed.dispatch(runId, deadlineAt ? { deadlineAt: deadlineAt.toISOString() } : {});
  const prompts = () => fake.requests.map((r) => (r.body as { prompt?: string } | null)?.prompt ?? '');
  const refused = (reason: string) =>
    metricValue(executor.registry, 'sandcastle_executor_dispatches_refused_total', { reason });

  it('refuses a dispatch past its deadline without calling the runtime, at no cost', async () => {
    const runId = randomUUID();
    // It waited in the queue past the deadline at which the orchestrator presumes it lost.
    await bed.send(executor, withDeadline(runId, new Date(Date.now() - 1_000)));
    const result = await bed.resultOf(runId);
    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'lost', costUsd: 0, attempt: 1 });
    expect(prompts().some((p) => p.includes(runId))).toBe(false);
    expect(await refused('past_deadline')).toBe(1);
  });

  it('refuses a dispatch of a stopped run without calling the runtime', async () => {
    const runId = randomUUID();
    await (await StoppedRuns.open(bed.admin, bed.names)).markStopped(runId, 'cancelled');
    // The executor learns of the stop through a KV watch: give it a moment before the dispatch.
    await new Promise((r) => setTimeout(r, 500));
    await bed.send(executor, withDeadline(runId, new Date(Date.now() + 3_600_000)));
    const result = await bed.resultOf(runId);
    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'aborted', costUsd: 0 });
    expect(prompts().some((p) => p.includes(runId))).toBe(false);
    expect(await refused('run_stopped')).toBe(1);
  });

  it('runs a current dispatch (and one without a deadline) on the runtime', async () => {
    const current = randomUUID();
    const legacy = randomUUID();
    await bed.send(executor, withDeadline(current, new Date(Date.now() + 3_600_000)));
    await bed.send(executor, withDeadline(legacy, undefined));
    expect(await bed.resultOf(current)).toMatchObject({ outcome: 'completed' });
    expect(await bed.resultOf(legacy)).toMatchObject({ outcome: 'completed' });
    expect(prompts().filter((p) => p.includes(current) || p.includes(legacy))).toHaveLength(2);
  });
});
