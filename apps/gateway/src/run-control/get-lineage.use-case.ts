import { Injectable } from '@nestjs/common';
import { runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import { buildLineageTree } from './lineage-tree.util';
import type { LineageNodeView } from './run-control.views';

/**
 * `GET /runs/{id}/lineage`: the whole tree the run belongs to, from its root (the original run)
 * down through every replay, fork and dead letter retry made from it, whichever run is asked for.
 */
@Injectable()
export class GetLineageUseCase {
  constructor(private readonly runs: RunsRepository) {}

  async execute(scope: TenantScope, runId: string): Promise<LineageNodeView> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    // A lineage never crosses tenants: the run's own tenant scopes the walk (also for the admin key).
    const tenantId = run.tenantId;
    const rootId = run.rootRunId ?? run.id;
    const tree = buildLineageTree(await this.runs.listLineage(tenantId, rootId), rootId);
    if (tree) return tree;
    // The root is gone (or not the tenant's): the run's own subtree is all there is to show.
    const own = buildLineageTree(await this.runs.listLineage(tenantId, run.id), run.id);
    // Only a concurrent delete of the run itself leaves nothing.
    if (!own) throw runNotFound(runId);
    return own;
  }
}
