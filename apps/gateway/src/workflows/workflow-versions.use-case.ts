import { Injectable } from '@nestjs/common';
import type { ListMeta, WorkflowSummaryView, WorkflowView } from '@sandcastle/contracts';
import { ApiException } from '../http/api.exception';
import { Paged } from '../http/paged';
import type { TenantScope } from '../tenancy/tenant-scope';
import { workflowNotFound } from './workflow-not-found.util';
import { toWorkflowSummaryView, toWorkflowView } from './workflow-view.util';
import { WorkflowsRepository } from './workflows.repository';

/**
 * `GET /workflows/{name}/versions[/{version}]`: the history of the workflow the caller sees under
 * `name` (its own, else the shared one; the same resolution as `GET /workflows/{name}`). Versions
 * are numbered per tenant, so the history is that one owner's.
 */
@Injectable()
export class WorkflowVersionsUseCase {
  constructor(private readonly workflows: WorkflowsRepository) {}

  async list(
    scope: TenantScope,
    name: string,
    limit: number,
    offset: number,
  ): Promise<Paged<WorkflowSummaryView>> {
    const latest = await this.workflows.findLatest(scope, name);
    if (!latest) throw workflowNotFound(name);
    const [rows, total] = await this.workflows.listVersions(latest.tenantId, name, limit, offset);
    const meta: ListMeta = { total, limit, offset };
    return new Paged(rows.map(toWorkflowSummaryView), meta);
  }

  async get(scope: TenantScope, name: string, version: number): Promise<WorkflowView> {
    const latest = await this.workflows.findLatest(scope, name);
    if (!latest) throw workflowNotFound(name);
    const row = await this.workflows.findVersion(latest.tenantId, name, version);
    if (!row)
      throw new ApiException(
        'WORKFLOW_NOT_FOUND',
        `workflow '${name.slice(0, 200)}' has no version ${version}`,
      );
    return toWorkflowView(row);
  }
}
