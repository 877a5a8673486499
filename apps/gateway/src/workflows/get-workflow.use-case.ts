import { Injectable } from '@nestjs/common';
import type { WorkflowView } from '@sandcastle/contracts';
import type { TenantScope } from '../tenancy/tenant-scope';
import { workflowNotFound } from './workflow-not-found.util';
import { toWorkflowView } from './workflow-view.util';
import { WorkflowsRepository } from './workflows.repository';

/** `GET /workflows/{name}`: the latest version with its YAML. */
@Injectable()
export class GetWorkflowUseCase {
  constructor(private readonly workflows: WorkflowsRepository) {}

  async execute(scope: TenantScope, name: string): Promise<WorkflowView> {
    const latest = await this.workflows.findLatest(scope, name);
    if (!latest) throw workflowNotFound(name, await this.workflows.visibleNames(scope));
    return toWorkflowView(latest);
  }
}
