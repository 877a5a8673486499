// The executor's step runner where attempts go wrong, on real NATS with the simulated runtime:
// a timeout, a run stopped mid-attempt, a hand-back on shutdown that another executor picks up,
// and a result publish that fails until the broker is back.
import { ensureStreams, StoppedRuns } from '@sandcastle/messaging';
import { randomUUID } from 'node:crypto';
import { ExecutorTestBed, metricValue, waitFor, type ExecutorProcess } from '../testing/executor-test-app';

const IN_FLIGHT = 'sandcastle_executor_in_flight';

describe('StepRunnerService (real NATS, simulated runtime)', () => {
  const bed = new ExecutorTestBed();

  beforeAll(async () => {
    await bed.setUp();
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  const simulated = (runId: string, latencyMs: number, timeoutSeconds = 60) =>
    bed.dispatch(runId, { runtime: 'simulated', simulation: { latencyMs, costUsd: 0.02 }, timeoutSeconds });

  const attemptRunning = (executor: ExecutorProcess) =>
    waitFor(async () => ((await metricValue(executor.registry, IN_FLIGHT, {})) >= 1 ? true : undefined));

  describe('with one executor', () => {
    let executor: ExecutorProcess;

    beforeAll(async () => {
      executor = await bed.start({ EXECUTOR_ID: 'exec-main' });
    });

    it('fails an attempt that outlives its timeout, with kind timeout and no cost', async () => {
      const runId = randomUUID();
      const sentAt = Date.now();
      await bed.send(executor, simulated(runId, 30_000, 1));
      const result = await bed.resultOf(runId);
      expect(result).toMatchObject({ outcome: 'failed', errorKind: 'timeout', costUsd: 0 });
      // Aborted at its timeout, not when the simulated work would have ended.
      expect(Date.now() - sentAt).toBeLessThan(20_000);
    });

    it('aborts a running attempt when its run is stopped', async () => {
      const runId = randomUUID();
      await bed.send(executor, simulated(runId, 30_000));
      await attemptRunning(executor);
      await (await StoppedRuns.open(bed.admin, bed.names)).markStopped(runId, 'cancelled');
      const result = await bed.resultOf(runId);
      expect(result).toMatchObject({ outcome: 'failed', errorKind: 'aborted', costUsd: 0 });
      expect(result.error).toContain('cancelled');
    });

    it('keeps publishing a finished attempt until the broker takes it', async () => {
      // The results stream disappears: every publish of the result fails (no stream answers).
      await bed.jsm.streams.delete(bed.names.streams.results);
      const runId = randomUUID();
      await bed.send(executor, simulated(runId, 0));
      // Long enough for several failed publishes (backoff 500 ms, 1 s, 2 s…).
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await bed.resultsOf(runId)).toEqual([]);

      await ensureStreams(bed.jsm, bed.names);
      const result = await bed.resultOf(runId);
      expect(result).toMatchObject({ outcome: 'completed', costUsd: 0.02, executorId: 'exec-main' });
      expect(await bed.resultsOf(runId)).toHaveLength(1);
    });

    afterAll(async () => {
      await executor.app.close();
    });
  });

  it('hands a running attempt back on shutdown, and another executor runs it once', async () => {
    const leaving = await bed.start({ EXECUTOR_ID: 'exec-leaving' }, { drainTimeoutMs: 300 });
    const runId = randomUUID();
    await bed.send(leaving, simulated(runId, 4_000));
    await attemptRunning(leaving);

    // The drain gives the attempt 300 ms, then aborts it and hands the dispatch back unreported.
    await leaving.app.close();
    expect(
      await metricValue(leaving.registry, 'sandcastle_executor_attempts_total', { outcome: 'handed_back' }),
    ).toBe(1);
    expect(await bed.resultsOf(runId)).toEqual([]);

    await bed.start({ EXECUTOR_ID: 'exec-staying' });
    const result = await bed.resultOf(runId, 30_000);
    expect(result).toMatchObject({ outcome: 'completed', executorId: 'exec-staying', attempt: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await bed.resultsOf(runId)).toHaveLength(1);
  });
});
