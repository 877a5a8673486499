import { Inject, Injectable } from '@nestjs/common';
import { jsonBytes } from '@sandcastle/contracts';
import { applyStepChanges, type StepChanges } from '@sandcastle/workflow';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiException } from '../http/api.exception';
import { checkRunInput } from '../runs/run-input.util';
import type { ForkAcceptedView } from './run-control.views';
import { TimeMachineService } from './time-machine.service';

export interface ForkRunCommand {
  tenantId: string;
  parentRunId: string;
  fromStep: string;
  changes: StepChanges;
  /** A new run input; absent = the parent's. */
  input: Record<string, unknown> | undefined;
}

/**
 * `POST /runs/{id}/fork`: a replay from `fromStep` with that step changed (and optionally a new
 * input). The changed definition is checked like a parsed workflow before anything is stored.
 */
@Injectable()
export class ForkRunUseCase {
  constructor(
    private readonly timeMachine: TimeMachineService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(command: ForkRunCommand): Promise<ForkAcceptedView> {
    if (command.input !== undefined) checkRunInput(command.input, this.config.MAX_INPUT_BYTES);
    const parent = await this.timeMachine.loadParent(command.tenantId, command.parentRunId, command.fromStep);
    // A plain copy: validated DTOs are class instances, and this object is also stored as sent.
    const changes: StepChanges = { ...command.changes };
    const changed = applyStepChanges(parent.definition, command.fromStep, changes);
    if (!changed.ok) {
      throw new ApiException(
        'INVALID_WORKFLOW',
        `the changes to step '${command.fromStep}' do not make a valid workflow`,
        changed.problems,
      );
    }
    const bytes = jsonBytes(changed.definition);
    if (bytes > this.config.MAX_WORKFLOW_BYTES) {
      const limit = this.config.MAX_WORKFLOW_BYTES;
      const message = `the changed definition is ${bytes} bytes as JSON, above the limit of ${limit} (MAX_WORKFLOW_BYTES)`;
      throw new ApiException('WORKFLOW_TOO_LARGE', 'the workflow is too large', [
        { field: 'changes', message, limit, actual: bytes },
      ]);
    }
    const run = await this.timeMachine.createFrom(parent.run, {
      kind: 'fork',
      fromStep: command.fromStep,
      definition: changed.definition,
      inputData: command.input ?? parent.run.inputData,
      forkChanges: { ...changes },
    });
    return {
      run_id: run.id,
      new_run_id: run.id,
      parent_run_id: parent.run.id,
      fork_from_step: command.fromStep,
      changes: { ...changes },
      status: 'queued',
    };
  }
}
