import { Body, Delete, Get, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { WorkflowSummaryView, WorkflowView } from '@sandcastle/contracts';
import { ApiController } from '../http/api-controller.decorator';
import { Paged } from '../http/paged';
import { TenantId } from '../tenancy/tenant.decorator';
import { SaveWorkflowDto } from './dto/save-workflow.dto';
import { DeleteWorkflowUseCase } from './delete-workflow.use-case';
import { GetWorkflowUseCase } from './get-workflow.use-case';
import { ListWorkflowsUseCase } from './list-workflows.use-case';
import { SaveWorkflowUseCase } from './save-workflow.use-case';
import { toWorkflowView } from './workflow-view.util';

@ApiController('workflows')
export class WorkflowsController {
  constructor(
    private readonly listWorkflows: ListWorkflowsUseCase,
    private readonly getWorkflow: GetWorkflowUseCase,
    private readonly saveWorkflow: SaveWorkflowUseCase,
    private readonly deleteWorkflow: DeleteWorkflowUseCase,
  ) {}

  @Get()
  async list(@TenantId() tenantId: string): Promise<Paged<WorkflowSummaryView>> {
    return Paged.all(await this.listWorkflows.execute(tenantId));
  }

  @Get(':name')
  async get(@TenantId() tenantId: string, @Param('name') name: string): Promise<WorkflowView> {
    return this.getWorkflow.execute(tenantId, name);
  }

  /** 201 with the new version; 200 with the latest one when the content did not change. */
  @Post()
  async save(
    @TenantId() tenantId: string,
    @Body() body: SaveWorkflowDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkflowView> {
    const { workflow, created } = await this.saveWorkflow.execute({
      tenantId,
      name: body.name,
      content: body.content,
    });
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toWorkflowView(workflow);
  }

  @Delete(':name')
  async delete(
    @TenantId() tenantId: string,
    @Param('name') name: string,
  ): Promise<{ deleted: true; name: string }> {
    return this.deleteWorkflow.execute(tenantId, name);
  }
}
