import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RunEntity } from '@sandcastle/persistence';
import { RunStartPublisher } from '../runs/run-start.publisher';
import { RunsRepository } from '../runs/runs.repository';
import { WorkflowTrustService } from '../trust/workflow-trust.service';
import { DeadLetterRepository } from './dead-letter.repository';
import type { DeadLetterRetriedView } from './dead-letter.views';
import { notOpen } from './dead-letter-errors.util';

/**
 * `POST /dead-letter/{id}/retry`: a full new run of the item's original run — its definition
 * snapshot, input, callback and budget — linked to it (`parent_run_id`, same lineage root).
 * Closing the item and inserting the run happen in one transaction, so of two concurrent retries
 * exactly one creates a run and the other gets 409; the start is published after commit.
 */
@Injectable()
export class RetryDeadLetterUseCase {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly items: DeadLetterRepository,
    private readonly runs: RunsRepository,
    private readonly startPublisher: RunStartPublisher,
    private readonly trust: WorkflowTrustService,
  ) {}

  async execute(tenantId: string, id: string): Promise<DeadLetterRetriedView> {
    const newRunId = randomUUID();
    const run = await this.db.transaction(async (em) => {
      const item = await this.items.resolveIfOpen(tenantId, id, { by: 'retry', retryRunId: newRunId }, em);
      if (!item) throw notOpen(id, await this.items.findById(tenantId, id, em));
      // The foreign key (ON DELETE CASCADE) guarantees the run while the item exists.
      const original = await em.getRepository(RunEntity).findOneByOrFail({ tenantId, id: item.runId });
      // Refused (and the item left open) when its endpoints are no longer configured.
      this.trust.assertRunnable(original.definition);
      return this.runs.insertDerived(
        {
          id: newRunId,
          tenantId,
          workflowName: original.workflowName,
          workflowVersion: original.workflowVersion,
          definition: original.definition,
          inputData: original.inputData,
          maxCostUsd: original.maxCostUsd,
          callbackUrl: original.callbackUrl,
          idempotencyKey: null,
          requestHash: null,
        },
        {
          kind: 'original',
          parentRunId: original.id,
          rootRunId: original.rootRunId ?? original.id,
          replayFromStep: null,
          forkChanges: null,
        },
        em,
      );
    });
    await this.startPublisher.publish(run);
    return { retried: true, dlq_item_id: id, run_id: run.id, new_run_id: run.id };
  }
}
