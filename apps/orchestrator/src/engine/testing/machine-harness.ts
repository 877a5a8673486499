import { natsNames, type RunEvent, type StepDispatch, type StepResult } from '@sandcastle/contracts';
import { parseWorkflowYaml, type WorkflowDefinition } from '@sandcastle/workflow';
import { RunMachine, type MachineLimits, type MachineSettings, type TransitionEffects } from '../run-machine';
import { holdsSlot, type RunRow, type StepRow } from '../run-state';
import type { TenantSlots } from '../tenant-slots';

/** Test support for the run state machine: no database, the harness keeps rows between transitions. */
export const names = natsNames('sc');
export const machineSettings = { names, lostAttemptGraceMs: 30_000, queueAllowanceMs: 600_000 };

export function definition(yaml: string): WorkflowDefinition {
  const parsed = parseWorkflowYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.definition;
}

export function newRunRow(def: WorkflowDefinition, patch: Partial<RunRow> = {}): RunRow {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    tenantId: 'default',
    workflowName: 'test',
    definition: def,
    status: 'queued',
    inputData: {},
    outputs: {},
    error: null,
    totalCostUsd: 0,
    totalInputTokens: 0,
    totalOutputTokens: 0,
    maxCostUsd: null,
    budgetWarned: false,
    checkpointSeq: 0,
    kind: 'original',
    parentRunId: null,
    replayFromStep: null,
    callbackUrl: null,
    scheduleId: null,
    cancelRequestedAt: null,
    cancelReason: null,
    traceparent: null,
    createdAt: new Date(),
    startedAt: null,
    completedAt: null,
    ...patch,
  };
}

/** The result an executor would report for a dispatch. */
export function resultOf(
  d: StepDispatch,
  outcome: 'completed' | 'failed',
  output: unknown = null,
  costUsd = 0.01,
): StepResult {
  return {
    v: 1,
    tenantId: d.tenantId,
    runId: d.runId,
    stepId: d.stepId,
    itemIndex: d.itemIndex,
    attempt: d.attempt,
    outcome,
    output,
    error: outcome === 'failed' ? 'boom' : null,
    errorKind: outcome === 'failed' ? 'runtime_error' : null,
    costUsd,
    usage: { inputTokens: 10, outputTokens: 5, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    numTurns: 1,
    model: d.model,
    runtime: 'simulated',
    startedAt: '2026-11-26T10:00:00.000Z',
    finishedAt: '2026-11-26T10:00:01.500Z',
    executorId: 'ex-1',
  };
}

/** Keeps a run and its rows between transitions, like the database does. */
export class MachineHarness {
  run: RunRow;
  rows: StepRow[] = [];
  clock = new Date('2026-11-26T10:00:00Z');
  /** What the last transition asked the engine to do. */
  effects!: TransitionEffects;
  settings: MachineSettings = machineSettings;
  /** The tenant's slots for the next transition (a fresh one each time, as the engine builds it). */
  slots: (() => TenantSlots) | null = null;

  constructor(
    def: WorkflowDefinition,
    patch: Partial<RunRow> = {},
    private readonly limits: Partial<MachineLimits> = {},
  ) {
    this.run = newRunRow(def, patch);
  }

  /** One transition (the machine opened as the engine opens it); returns the dispatches it queued. */
  step(fn: (m: RunMachine) => unknown): StepDispatch[] {
    const m = RunMachine.open(
      structuredClone(this.run),
      structuredClone(this.rows),
      { ...this.settings, limits: this.limits },
      this.clock,
      this.slots?.() ?? null,
    );
    fn(m);
    this.run = m.run;
    this.rows = m.stepRows;
    this.effects = m.effects();
    return this.effects.messages
      .filter((o) => o.subject === names.subjects.stepDispatch)
      .map((o) => o.payload as StepDispatch);
  }

  /** Run events the last transition published. */
  events(): RunEvent[] {
    return this.effects.messages
      .filter((o) => o.subject.startsWith(names.runEvent(this.run.id, '')))
      .map((o) => o.payload as RunEvent);
  }

  /** Rows holding a slot: attempts queued or running. */
  inFlight(): StepRow[] {
    return this.rows.filter((r) => holdsSlot(r));
  }

  /** Messages of a kind the last transition wrote to the outbox. */
  outboxOf(kind: 'stream' | 'stop') {
    return this.effects.messages.filter((o) => o.kind === kind);
  }

  /** A step's own row, or (with an index) one of its fan-out items. */
  row(stepId: string, itemIndex: number | null = null): StepRow {
    return this.rows.find((r) => r.stepId === stepId && r.itemIndex === itemIndex)!;
  }

  /** Completes every dispatched attempt until nothing more is dispatched; returns what ran. */
  runToEnd(
    first: StepDispatch[],
    outputOf: (d: StepDispatch) => unknown = (d) => d.stepId,
    costUsd = 0.01,
  ): string[] {
    const ran: string[] = [];
    let pending = first;
    while (pending.length > 0) {
      const next: StepDispatch[] = [];
      for (const d of pending) {
        ran.push(d.itemIndex === null ? d.stepId : `${d.stepId}[${d.itemIndex}]`);
        next.push(...this.step((m) => m.applyResult(resultOf(d, 'completed', outputOf(d), costUsd))));
      }
      pending = next;
    }
    return ran;
  }
}
