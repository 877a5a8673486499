import { Injectable } from '@nestjs/common';
import type { RunView } from '@sandcastle/contracts';
import type { RunEntity } from '@sandcastle/persistence';
import { ApiException } from '../http/api.exception';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toRunView } from './run-view.util';
import { RunsRepository } from './runs.repository';

export function runNotFound(id: string): ApiException {
  return new ApiException('RUN_NOT_FOUND', `run '${id}' not found`);
}

/** `GET /runs/{id}`: the run with one entry per step and fan-out item. */
@Injectable()
export class GetRunUseCase {
  constructor(private readonly runs: RunsRepository) {}

  async execute(scope: TenantScope, runId: string): Promise<RunView> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    return this.viewOf(run);
  }

  /** The view of a run already read (its steps are read now). */
  async viewOf(run: RunEntity): Promise<RunView> {
    const [steps, tries] = await Promise.all([
      this.runs.listSteps(run.tenantId, run.id),
      this.runs.listModelTries(run.tenantId, run.id),
    ]);
    return toRunView(run, steps, tries);
  }
}
