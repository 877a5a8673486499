import { RunEntity, RunStepEntity } from '@sandcastle/persistence';
import { toRunView } from './run-view.util';
import { definitionStepOrder, selectStepRows } from './step-views.util';

function step(
  stepId: string,
  itemIndex: number | null = null,
  fields: Partial<RunStepEntity> = {},
): RunStepEntity {
  return Object.assign(new RunStepEntity(), {
    id: `${stepId}:${itemIndex}`,
    runId: 'run',
    tenantId: 'default',
    stepId,
    itemIndex,
    itemCount: null,
    status: 'completed',
    attempt: 1,
    output: null,
    error: null,
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    numTurns: 0,
    durationSeconds: null,
    model: null,
    runtime: null,
    startedAt: null,
    completedAt: null,
    restoredFrom: null,
    ...fields,
  });
}

const keys = (rows: RunStepEntity[]): string[] => rows.map((r) => `${r.stepId}:${r.itemIndex}`);

describe('selectStepRows', () => {
  it('orders by the definition, then by item index', () => {
    const rows = [
      step('score'),
      step('enrich', 1),
      step('scrape'),
      step('enrich', 0),
      step('enrich', null, { itemCount: 2 }),
    ];
    expect(keys(selectStepRows(rows, ['scrape', 'enrich', 'score']))).toEqual([
      'scrape:null',
      'enrich:0',
      'enrich:1',
      'score:null',
    ]);
  });

  it("shows a fan-out step's own row only while it has no item rows", () => {
    const rows = [step('fan', null, { itemCount: 0, status: 'completed' }), step('after')];
    expect(keys(selectStepRows(rows, ['fan', 'after']))).toEqual(['fan:null', 'after:null']);
  });

  it('puts steps the definition does not list last, by id', () => {
    const rows = [step('zeta'), step('alpha'), step('known')];
    expect(keys(selectStepRows(rows, ['known']))).toEqual(['known:null', 'alpha:null', 'zeta:null']);
  });

  it('skips definition steps without rows', () => {
    expect(keys(selectStepRows([step('b')], ['a', 'b', 'c']))).toEqual(['b:null']);
  });
});

describe('definitionStepOrder', () => {
  it('reads step ids from a stored definition, tolerating odd shapes', () => {
    expect(definitionStepOrder({ steps: [{ id: 'a' }, { id: 'b' }] })).toEqual(['a', 'b']);
    expect(definitionStepOrder({ steps: [{ id: 'a' }, null, { nope: 1 }] })).toEqual(['a']);
    expect(definitionStepOrder({})).toEqual([]);
  });
});

describe('toRunView', () => {
  const run = Object.assign(new RunEntity(), {
    id: '6f1c7d1e-4a55-4d8e-9a51-0c8d9a7c1f00',
    tenantId: 'default',
    workflowName: 'demo',
    workflowVersion: 3,
    definition: { steps: [{ id: 'fan' }, { id: 'sum' }] },
    status: 'completed',
    kind: 'replay',
    inputData: { a: 1 },
    outputs: { sum: 3 },
    error: null,
    totalCostUsd: 0.25,
    totalInputTokens: 10,
    totalOutputTokens: 20,
    maxCostUsd: null,
    parentRunId: '0b8f1f8e-0000-4000-8000-000000000001',
    rootRunId: '0b8f1f8e-0000-4000-8000-000000000001',
    replayFromStep: 'sum',
    forkChanges: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    startedAt: new Date('2026-01-01T00:00:01Z'),
    completedAt: new Date('2026-01-01T00:00:03.500Z'),
  });

  it('shows fan-out items with their index, plain steps with null, and the run duration', () => {
    const view = toRunView(run, [
      step('sum', null, { output: 3, restoredFrom: null }),
      step('fan', 1, { restoredFrom: 'c0ffee00-0000-4000-8000-000000000000' }),
      step('fan', 0, { restoredFrom: 'c0ffee00-0000-4000-8000-000000000001' }),
      step('fan', null, { itemCount: 2 }),
    ]);
    expect(view.duration_seconds).toBe(2.5);
    expect(view.steps.map((s) => [s.step_id, s.parallel_index])).toEqual([
      ['fan', 0],
      ['fan', 1],
      ['sum', null],
    ]);
    // A restored row names the run it came from, not the copied row.
    expect(view.steps[0]!.restored_from).toBe(run.parentRunId);
    expect(view.steps[2]).toMatchObject({ output: 3, restored_from: null });
    expect(view).toMatchObject({
      run_id: run.id,
      workflow_version: 3,
      kind: 'replay',
      input_data: { a: 1 },
      outputs: { sum: 3 },
      created_at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('has no duration until the run both started and completed', () => {
    expect(toRunView({ ...run, completedAt: null }, []).duration_seconds).toBeNull();
  });
});
