import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isTerminalRunStatus } from '@sandcastle/contracts';
import type { RunEntity } from '@sandcastle/persistence';
import type { WorkflowDefinition } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';
import { runNotFound } from '../runs/get-run.use-case';
import { RunStartPublisher } from '../runs/run-start.publisher';
import { RunsRepository } from '../runs/runs.repository';
import { WorkflowTrustService } from '../trust/workflow-trust.service';

/** A finished run a replay or fork starts from, with its definition snapshot. */
export interface ParentRun {
  run: RunEntity;
  definition: WorkflowDefinition;
}

export interface DerivedRunSpec {
  kind: 'replay' | 'fork';
  fromStep: string;
  definition: WorkflowDefinition;
  inputData: Record<string, unknown>;
  /** Fork only: the changes as the client sent them. */
  forkChanges: Record<string, unknown> | null;
}

const SHOWN_STEP_IDS = 20;

function unknownStep(run: RunEntity, definition: WorkflowDefinition, fromStep: string): ApiException {
  const ids = definition.steps.map((s) => s.id);
  const shown = ids.slice(0, SHOWN_STEP_IDS).join(', ') + (ids.length > SHOWN_STEP_IDS ? ', …' : '');
  const message = `run '${run.id}' has no step '${fromStep.slice(0, 200)}' (its steps: ${shown})`;
  return new ApiException('INVALID_STEP', message, [{ field: 'from_step', message }]);
}

/**
 * The Time Machine's gateway half: checks the parent and inserts the new run. The new run
 * executes the parent's definition snapshot (not whatever the workflow is now), with
 * `replay_from_step` telling the orchestrator what to run again; everything else it restores
 * from the parent at no cost when it starts.
 */
@Injectable()
export class TimeMachineService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly startPublisher: RunStartPublisher,
    private readonly trust: WorkflowTrustService,
  ) {}

  /**
   * The tenant's run `runId`, which must be finished (a live run's steps are still changing, so
   * there is nothing stable to restore) and have the step `fromStep`.
   */
  async loadParent(tenantId: string, runId: string, fromStep: string): Promise<ParentRun> {
    const run = await this.runs.findById(tenantId, runId);
    if (!run) throw runNotFound(runId);
    if (!isTerminalRunStatus(run.status)) {
      throw new ApiException(
        'INVALID_STATUS',
        `run '${runId}' is ${run.status}; only a finished run can be replayed or forked`,
      );
    }
    // The snapshot was parsed and validated before the parent run was stored.
    const definition = run.definition as unknown as WorkflowDefinition;
    if (!definition.steps.some((s) => s.id === fromStep)) throw unknownStep(run, definition, fromStep);
    return { run, definition };
  }

  /** Inserts the queued replay/fork (same name, version, budget and callback), then starts it. */
  async createFrom(parent: RunEntity, spec: DerivedRunSpec): Promise<RunEntity> {
    // The snapshot passed the policy of its day; the endpoints it names must still be configured.
    this.trust.assertRunnable(spec.definition as unknown as Record<string, unknown>);
    const run = await this.runs.insertDerived(
      {
        id: randomUUID(),
        tenantId: parent.tenantId,
        workflowName: parent.workflowName,
        workflowVersion: parent.workflowVersion,
        definition: spec.definition as unknown as Record<string, unknown>,
        inputData: spec.inputData,
        maxCostUsd: parent.maxCostUsd,
        callbackUrl: parent.callbackUrl,
        idempotencyKey: null,
        requestHash: null,
      },
      {
        kind: spec.kind,
        parentRunId: parent.id,
        rootRunId: parent.rootRunId ?? parent.id,
        replayFromStep: spec.fromStep,
        forkChanges: spec.forkChanges,
      },
    );
    await this.startPublisher.publish(run);
    return run;
  }
}
