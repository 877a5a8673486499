import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager, type Repository } from 'typeorm';
import { DeadLetterItemEntity, itemIndexFromDb } from '@sandcastle/persistence';
import { tenantWhere, type TenantScope } from '../tenancy/tenant-scope';

/** How an item is closed: by a retry (with the new run) or by hand (with an optional reason). */
export type DeadLetterResolution =
  { by: 'retry'; retryRunId: string } | { by: 'manual'; reason: string | null };

interface RawItem {
  id: string;
  tenant_id: string;
  run_id: string;
  workflow_name: string;
  step_id: string;
  item_index: number;
  error: string;
  input_data: Record<string, unknown>;
  attempts: number;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: 'retry' | 'manual' | null;
  resolution_reason: string | null;
  retry_run_id: string | null;
}

function fromRaw(raw: RawItem): DeadLetterItemEntity {
  return Object.assign(new DeadLetterItemEntity(), {
    id: raw.id,
    tenantId: raw.tenant_id,
    runId: raw.run_id,
    workflowName: raw.workflow_name,
    stepId: raw.step_id,
    itemIndex: itemIndexFromDb(raw.item_index),
    error: raw.error,
    inputData: raw.input_data,
    attempts: raw.attempts,
    createdAt: raw.created_at,
    resolvedAt: raw.resolved_at,
    resolvedBy: raw.resolved_by,
    resolutionReason: raw.resolution_reason,
    retryRunId: raw.retry_run_id,
  });
}

/** Dead letter items (written by the orchestrator); every query is scoped by tenant. */
@Injectable()
export class DeadLetterRepository {
  private readonly items: Repository<DeadLetterItemEntity>;

  constructor(@Inject(DataSource) db: DataSource) {
    this.items = db.getRepository(DeadLetterItemEntity);
  }

  /** A page, newest first, and how many match in all: open items only, or all of them. */
  async list(
    scope: TenantScope,
    includeResolved: boolean,
    limit: number,
    offset: number,
  ): Promise<[DeadLetterItemEntity[], number]> {
    return this.items.findAndCount({
      where: includeResolved ? tenantWhere(scope) : { ...tenantWhere(scope), resolvedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  async countOpen(scope: TenantScope): Promise<number> {
    return this.items.countBy({ ...tenantWhere(scope), resolvedAt: IsNull() });
  }

  async findById(
    tenantId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<DeadLetterItemEntity | null> {
    const repository = manager ? manager.getRepository(DeadLetterItemEntity) : this.items;
    return repository.findOneBy({ tenantId, id });
  }

  /**
   * Closes the item if it is still open, in one statement: of two concurrent resolutions the
   * second waits for the first's row lock, then finds `resolved_at` set and changes nothing.
   * Returns the closed item, or null when it is missing or was already resolved.
   */
  async resolveIfOpen(
    tenantId: string,
    id: string,
    resolution: DeadLetterResolution,
    manager?: EntityManager,
  ): Promise<DeadLetterItemEntity | null> {
    const runner = manager ?? this.items.manager;
    const [rows] = await runner.query<[RawItem[], number]>(
      `UPDATE dead_letter_items
          SET resolved_at = now(), resolved_by = $3, resolution_reason = $4, retry_run_id = $5
        WHERE id = $1 AND tenant_id = $2 AND resolved_at IS NULL
        RETURNING *`,
      [
        id,
        tenantId,
        resolution.by,
        resolution.by === 'manual' ? resolution.reason : null,
        resolution.by === 'retry' ? resolution.retryRunId : null,
      ],
    );
    const row = rows[0];
    return row ? fromRaw(row) : null;
  }
}
