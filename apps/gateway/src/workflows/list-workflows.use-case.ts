import { Injectable } from '@nestjs/common';
import type { WorkflowSummaryView } from '@sandcastle/contracts';
import { toWorkflowSummaryView } from './workflow-view.util';
import { WorkflowsRepository } from './workflows.repository';

/** `GET /workflows`: the latest version of each workflow. */
@Injectable()
export class ListWorkflowsUseCase {
  constructor(private readonly workflows: WorkflowsRepository) {}

  async execute(tenantId: string): Promise<WorkflowSummaryView[]> {
    return (await this.workflows.listLatest(tenantId)).map(toWorkflowSummaryView);
  }
}
