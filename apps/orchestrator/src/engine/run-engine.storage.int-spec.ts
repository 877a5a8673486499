import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT_REF_KEY, type StepDispatch } from '@sandcastle/contracts';
import { LocalStorage, ResilientStorage, runObjectKey } from '@sandcastle/storage';
import { CompletionWriter } from './completion-writer';
import { CapturingLogger, EngineFixture } from './testing/engine-fixture';
import { resultOf } from './testing/machine-harness';

const FLOW = `
name: Store
runtime: simulated
steps:
  - id: a
    prompt: go
  - id: big
    prompt: big
on_complete:
  storage_path: "results/{input.company}/{run_id}.json"
`;

/**
 * on_complete.storage_path through the engine against the real PostgreSQL and NATS and a local
 * storage directory: stored before the completion commits, or the run fails saying why.
 */
describe('RunEngine and on_complete storage (real PostgreSQL and NATS)', () => {
  const f = new EngineFixture();
  let dir: string;

  beforeAll(async () => {
    await f.setUp('os');
    dir = await mkdtemp(join(tmpdir(), 'sc-engine-storage-'));
  });

  afterAll(async () => {
    await f.tearDown();
    await rm(dir, { recursive: true, force: true });
  });

  async function runToCompletion(engineStorage: ResilientStorage, raw: LocalStorage): Promise<string> {
    const { engine } = await f.engine(
      {},
      { completions: new CompletionWriter(engineStorage, new CapturingLogger()) },
    );
    const runId = await f.insertRun(FLOW, { input: { company: 'acme' } });
    await engine.startRun(runId);
    const dispatches: StepDispatch[] = await f.queued([runId]);
    const bigKey = runObjectKey('default', runId, 'output.big.a1.json');
    await raw.put(bigKey, JSON.stringify({ text: 'stored long ago' }));
    for (const d of dispatches) {
      const output =
        d.stepId === 'big'
          ? {
              [OUTPUT_REF_KEY]: {
                name: 'output.big.a1.json',
                key: bigKey,
                size: 28,
                content_type: 'application/json',
                preview: '{',
              },
            }
          : 'small';
      await engine.applyResult(resultOf(d, 'completed', output));
    }
    return runId;
  }

  it('stores the outputs (offloaded ones read back), records storage_path and the artifact, then completes', async () => {
    const raw = new LocalStorage(join(dir, 'ok'));
    const runId = await runToCompletion(new ResilientStorage(raw), raw);
    const [run] = await f.db.query<{ status: string; storage_path: string | null }[]>(
      `SELECT status, storage_path FROM runs WHERE id = $1`,
      [runId],
    );
    expect(run).toEqual({ status: 'completed', storage_path: `results/acme/${runId}.json` });
    const stored = await raw.get(`tenants/default/data/results/acme/${runId}.json`);
    expect(JSON.parse(stored!.toString())).toEqual({ a: 'small', big: { text: 'stored long ago' } });
    const artifacts = await f.db.query<{ name: string; kind: string; object_key: string }[]>(
      `SELECT name, kind, object_key FROM run_artifacts WHERE run_id = $1`,
      [runId],
    );
    expect(artifacts).toEqual([
      {
        name: 'on_complete.json',
        kind: 'result',
        object_key: `tenants/default/data/results/acme/${runId}.json`,
      },
    ]);
  });

  it('fails the run with the reason when storage cannot take the object; storage_path stays null', async () => {
    const okDir = join(dir, 'readable');
    const raw = new LocalStorage(okDir);
    // Reads work (the offloaded output is there); writes under data/ fail: a file blocks the directory.
    await raw.put('tenants/default/placeholder', 'x');
    await writeFile(join(okDir, 'tenants', 'default', 'data'), 'not a directory');
    const storage = new ResilientStorage(raw, { attempts: 3, baseDelayMs: 5, timeoutMs: 1000 });
    const runId = await runToCompletion(storage, raw);
    const [run] = await f.db.query<{ status: string; storage_path: string | null; error: string }[]>(
      `SELECT status, storage_path, error FROM runs WHERE id = $1`,
      [runId],
    );
    expect(run!.status).toBe('failed');
    expect(run!.storage_path).toBeNull();
    expect(run!.error).toMatch(
      new RegExp(
        `^on_complete.storage_path 'results/acme/${runId}.json' could not be saved: storage put failed after 3 tries \\((ENOTDIR|EEXIST)\\) \\(STORAGE_ERROR\\)$`,
      ),
    );
    const steps = await f.db.query<{ status: string }[]>(`SELECT status FROM run_steps WHERE run_id = $1`, [
      runId,
    ]);
    expect(steps.map((s) => s.status)).toEqual(['completed', 'completed']);
    expect(await f.db.query(`SELECT 1 FROM run_artifacts WHERE run_id = $1`, [runId])).toEqual([]);
  });
});
