import { Injectable } from '@nestjs/common';
import { runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import { invalidSeq } from './checkpoint-seq.pipe';
import { toCheckpointStateView } from './checkpoint-views.util';
import type { CheckpointStateView } from './checkpoint.views';
import { CheckpointsRepository } from './checkpoints.repository';

/**
 * `GET /runs/{id}/checkpoints/{seq}`: the run's outputs and costs right after completion `seq`.
 * A seq past the run's last checkpoint is the caller's mistake (400 on `seq`), like a malformed
 * one: the run exists, so 404 RUN_NOT_FOUND would mislead.
 */
@Injectable()
export class GetCheckpointUseCase {
  constructor(
    private readonly runs: RunsRepository,
    private readonly checkpoints: CheckpointsRepository,
  ) {}

  async execute(scope: TenantScope, runId: string, seq: number): Promise<CheckpointStateView> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    const last = run.checkpointSeq;
    if (seq > last) throw invalidSeq(outOfRange(last));
    // Rows are read after the run, so every checkpoint up to `last` is already there.
    const view = toCheckpointStateView(run.id, seq, await this.checkpoints.upTo(run.tenantId, run.id, seq));
    if (!view) throw invalidSeq(outOfRange(last));
    return view;
  }
}

function outOfRange(last: number): string {
  return last === 0 ? 'the run has no checkpoint yet' : `seq must be between 1 and ${last}`;
}
