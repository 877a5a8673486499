import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { StepAttemptEntity } from '@sandcastle/persistence';
import { Paged } from '../http/paged';
import { runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import type { AttemptView } from './attempt.view';

function toAttemptView(row: StepAttemptEntity): AttemptView {
  return {
    step_id: row.stepId,
    parallel_index: row.itemIndex,
    attempt: row.attempt,
    outcome: row.outcome,
    output: row.output ?? null,
    error: row.error,
    error_kind: row.errorKind,
    cost_usd: row.costUsd,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    num_turns: row.numTurns,
    model: row.model,
    runtime: row.runtime,
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * `GET /runs/{id}/attempts`: every finished attempt of the run (or of one step), oldest first,
 * paged — a fan-out of thousands of items with retries is read a page at a time. The run is
 * found in the caller's scope first; the attempts are then read under the run's own tenant.
 */
@Injectable()
export class ListAttemptsUseCase {
  private readonly attempts: Repository<StepAttemptEntity>;

  constructor(
    private readonly runs: RunsRepository,
    @Inject(DataSource) db: DataSource,
  ) {
    this.attempts = db.getRepository(StepAttemptEntity);
  }

  async execute(
    scope: TenantScope,
    runId: string,
    query: { stepId?: string | undefined; limit: number; offset: number },
  ): Promise<Paged<AttemptView>> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    const [rows, total] = await this.attempts.findAndCount({
      where: { runId: run.id, tenantId: run.tenantId, ...(query.stepId ? { stepId: query.stepId } : {}) },
      order: {
        startedAt: { direction: 'ASC', nulls: 'LAST' },
        stepId: 'ASC',
        itemIndex: 'ASC',
        attempt: 'ASC',
      },
      take: query.limit,
      skip: query.offset,
    });
    return new Paged(rows.map(toAttemptView), { total, limit: query.limit, offset: query.offset });
  }
}
