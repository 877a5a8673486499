import { Injectable } from '@nestjs/common';
import { workflowNotFound } from './workflow-not-found.util';
import { WorkflowsRepository } from './workflows.repository';

/** `DELETE /workflows/{name}`: every version goes; runs keep the definition they ran. */
@Injectable()
export class DeleteWorkflowUseCase {
  constructor(private readonly workflows: WorkflowsRepository) {}

  async execute(tenantId: string, name: string): Promise<{ deleted: true; name: string }> {
    const removed = await this.workflows.deleteAll(tenantId, name);
    if (removed === 0) throw workflowNotFound(name, await this.workflows.visibleNames(tenantId));
    return { deleted: true, name };
  }
}
