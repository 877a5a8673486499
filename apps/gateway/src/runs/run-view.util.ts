import type { ModelTryView, RunSummaryView, RunView, RuntimeKind, StepView } from '@sandcastle/contracts';
import type { RunEntity, RunStepEntity } from '@sandcastle/persistence';
import { outputRefView, publicOutputs } from '../artifacts/output-ref-view.util';
import { definitionStepOrder, selectStepRows } from './step-views.util';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toRunSummaryView(run: RunEntity): RunSummaryView {
  return {
    run_id: run.id,
    workflow_name: run.workflowName,
    status: run.status,
    total_cost_usd: run.totalCostUsd,
    max_cost_usd: run.maxCostUsd,
    created_at: run.createdAt.toISOString(),
    started_at: iso(run.startedAt),
    completed_at: iso(run.completedAt),
    parent_run_id: run.parentRunId,
    schedule_id: run.scheduleId ?? null,
  };
}

/**
 * `restored_from` is the parent run's id: a restored row is a copy of the parent's row (the
 * column keeps that row's id), and the API names the run it came from.
 */
export function toStepView(row: RunStepEntity, run: RunEntity, tries?: ModelTryView[]): StepView {
  const outputRef = outputRefView(row.output, run.id);
  const output = outputRef ? null : publicOutputs({ o: row.output ?? null }, run.id).outputs['o'];
  return {
    step_id: row.stepId,
    parallel_index: row.itemIndex,
    status: row.status,
    attempt: row.attempt,
    output: output ?? null,
    error: row.error,
    error_kind: row.errorKind,
    cost_usd: row.costUsd,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    num_turns: row.numTurns,
    duration_seconds: row.durationSeconds,
    model: row.model,
    runtime: row.runtime as RuntimeKind | null,
    ...(tries !== undefined && tries.length > 0 ? { tries } : {}),
    started_at: iso(row.startedAt),
    completed_at: iso(row.completedAt),
    restored_from: row.restoredFrom !== null ? run.parentRunId : null,
    output_ref: outputRef,
  };
}

/** `step_id` + item index → its model tries (see RunsRepository.listModelTries). */
export type TriesByRow = ReadonlyMap<string, ModelTryView[]>;

export function triesKey(stepId: string, itemIndex: number | null): string {
  return `${stepId}\u0000${itemIndex}`;
}

export function toRunView(
  run: RunEntity,
  stepRows: readonly RunStepEntity[],
  tries: TriesByRow = new Map(),
): RunView {
  const duration =
    run.startedAt && run.completedAt ? (run.completedAt.getTime() - run.startedAt.getTime()) / 1000 : null;
  const { outputs, outputRefs } = publicOutputs(run.outputs, run.id);
  return {
    ...toRunSummaryView(run),
    workflow_version: run.workflowVersion,
    kind: run.kind,
    input_data: run.inputData,
    outputs,
    error: run.error,
    total_input_tokens: run.totalInputTokens,
    total_output_tokens: run.totalOutputTokens,
    duration_seconds: duration,
    root_run_id: run.rootRunId,
    replay_from_step: run.replayFromStep,
    fork_changes: run.forkChanges,
    scheduled_for: iso(run.scheduledFor ?? null),
    catch_up: run.catchUp ?? false,
    storage_path: run.storagePath ?? null,
    output_refs: outputRefs,
    steps: selectStepRows(stepRows, definitionStepOrder(run.definition)).map((row) =>
      toStepView(row, run, tries.get(triesKey(row.stepId, row.itemIndex))),
    ),
  };
}
