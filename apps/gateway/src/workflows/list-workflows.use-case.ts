import { Injectable } from '@nestjs/common';
import type { WorkflowSummaryView } from '@sandcastle/contracts';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toWorkflowSummaryView } from './workflow-view.util';
import { WorkflowsRepository } from './workflows.repository';

/** `GET /workflows`: the latest version of each workflow. */
@Injectable()
export class ListWorkflowsUseCase {
  constructor(private readonly workflows: WorkflowsRepository) {}

  async execute(scope: TenantScope): Promise<WorkflowSummaryView[]> {
    return (await this.workflows.listLatest(scope)).map(toWorkflowSummaryView);
  }
}
