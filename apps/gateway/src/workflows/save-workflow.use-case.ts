import { Injectable } from '@nestjs/common';
import { slugifyWorkflowName } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';
import { WorkflowTrustService } from '../trust/workflow-trust.service';
import { invalidWorkflow } from './invalid-workflow.util';
import { WorkflowVersionsService, type SavedWorkflow } from './workflow-versions.service';

export interface SaveWorkflowCommand {
  tenantId: string;
  /** Already checked against the name pattern by the DTO. */
  name?: string;
  content: string;
}

/** `POST /workflows`: validate the YAML, pick the identifier, save a new version unless unchanged. */
@Injectable()
export class SaveWorkflowUseCase {
  constructor(
    private readonly versions: WorkflowVersionsService,
    private readonly trust: WorkflowTrustService,
  ) {}

  async execute(
    command: SaveWorkflowCommand,
  ): Promise<SavedWorkflow & { warnings: { field: string; message: string }[] }> {
    const parsed = this.trust.parse(command.content);
    if (!parsed.ok) throw invalidWorkflow(parsed);
    const name = command.name ?? slugifyWorkflowName(parsed.definition.title);
    if (name === '') {
      throw new ApiException('VALIDATION_ERROR', 'the workflow needs a name', [
        {
          field: 'name',
          message: `no identifier can be made from the title '${parsed.definition.title}'; give a name`,
        },
      ]);
    }
    const saved = await this.versions.save({
      tenantId: command.tenantId,
      name,
      content: command.content,
      definition: parsed.definition,
      source: 'api',
    });
    return { ...saved, warnings: parsed.warnings ?? [] };
  }
}
