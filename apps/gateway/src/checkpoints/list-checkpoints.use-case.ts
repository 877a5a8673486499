import { Injectable } from '@nestjs/common';
import { runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toCheckpointViews } from './checkpoint-views.util';
import type { CheckpointView } from './checkpoint.views';
import { CheckpointsRepository } from './checkpoints.repository';

/** `GET /runs/{id}/checkpoints`: every completion of the run so far, in order. */
@Injectable()
export class ListCheckpointsUseCase {
  constructor(
    private readonly runs: RunsRepository,
    private readonly checkpoints: CheckpointsRepository,
  ) {}

  async execute(scope: TenantScope, runId: string): Promise<CheckpointView[]> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    return toCheckpointViews(await this.checkpoints.list(run.tenantId, run.id), run.parentRunId);
  }
}
