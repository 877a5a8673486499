import { Injectable } from '@nestjs/common';
import type { ReplayAcceptedView } from './run-control.views';
import { TimeMachineService } from './time-machine.service';

/**
 * `POST /runs/{id}/replay`: a new run of the same definition and input in which `fromStep` and
 * every step depending on it run again; the rest is restored from the parent.
 */
@Injectable()
export class ReplayRunUseCase {
  constructor(private readonly timeMachine: TimeMachineService) {}

  async execute(tenantId: string, parentRunId: string, fromStep: string): Promise<ReplayAcceptedView> {
    const parent = await this.timeMachine.loadParent(tenantId, parentRunId, fromStep);
    const run = await this.timeMachine.createFrom(parent.run, {
      kind: 'replay',
      fromStep,
      definition: parent.definition,
      inputData: parent.run.inputData,
      forkChanges: null,
    });
    return {
      run_id: run.id,
      new_run_id: run.id,
      parent_run_id: parent.run.id,
      replay_from_step: fromStep,
      status: 'queued',
    };
  }
}
