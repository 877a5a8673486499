import { TransitionBatcher, type OpOutcome, type RunOperation } from './transition-batcher';

/** When the batcher writes a second batch beside one in flight (no database: batches are held open by hand). */
describe('TransitionBatcher: batches in flight', () => {
  const op = (runId: string): RunOperation<string> => ({
    runId,
    kind: 'probe',
    run: () => runId,
  });

  /** An executor whose batches stay open until released; records each batch's run ids. */
  function heldExecutor() {
    const batches: string[][] = [];
    const releases: (() => void)[] = [];
    const execute = (ops: readonly RunOperation<unknown>[]): Promise<OpOutcome<unknown>[]> => {
      batches.push(ops.map((o) => o.runId));
      return new Promise((resolve) =>
        releases.push(() => resolve(ops.map((o) => ({ found: true, value: o.runId })))),
      );
    };
    return { batches, releases, execute };
  }

  const settle = () => new Promise((r) => setImmediate(r));

  it('sends an operation alone at once when nothing is in flight', async () => {
    const held = heldExecutor();
    const batcher = new TransitionBatcher(held.execute, 8, 4);
    const done = batcher.submit(op('a'));
    await settle();
    expect(held.batches).toEqual([['a']]);
    held.releases[0]!();
    await expect(done).resolves.toEqual({ found: true, value: 'a' });
  });

  it('lets fewer than half a batch wait for the one in flight, then sends them together', async () => {
    const held = heldExecutor();
    const batcher = new TransitionBatcher(held.execute, 8, 4);
    const all = ['a', 'b', 'c', 'd'].map((r) => batcher.submit(op(r)));
    await settle();
    // 'a' went alone; three waiting (below 4, half of 8) do not open a second transaction.
    expect(held.batches).toEqual([['a']]);
    held.releases[0]!();
    await settle();
    expect(held.batches).toEqual([['a'], ['b', 'c', 'd']]);
    held.releases[1]!();
    await Promise.all(all);
  });

  it('opens another batch beside the one in flight for a backlog of half a batch or more', async () => {
    const held = heldExecutor();
    const batcher = new TransitionBatcher(held.execute, 8, 4);
    const all = ['a', 'b', 'c', 'd', 'e'].map((r) => batcher.submit(op(r)));
    await settle();
    expect(held.batches).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    for (const release of held.releases) release();
    await Promise.all(all);
    expect(batcher.pending).toBe(0);
  });

  it('opens a batch beside one in flight as soon as anything waits when parallelBacklog is 1', async () => {
    const held = heldExecutor();
    const batcher = new TransitionBatcher(held.execute, 8, 4, 1);
    const all = ['a', 'b', 'c'].map((r) => batcher.submit(op(r)));
    await settle();
    expect(held.batches).toEqual([['a'], ['b'], ['c']]);
    for (const release of held.releases) release();
    await Promise.all(all);
  });
});
