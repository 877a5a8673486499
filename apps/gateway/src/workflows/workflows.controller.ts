import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Body, Delete, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { SavedWorkflowView, WorkflowSummaryView, WorkflowView } from '@sandcastle/contracts';
import { ApiAnswer, ApiErrors } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ApiController } from '../http/api-controller.decorator';
import { Paged } from '../http/paged';
import { PagingQuery } from '../http/paging.query';
import { ReadScope, TenantId } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { SaveWorkflowDto } from './dto/save-workflow.dto';
import { DeleteWorkflowUseCase } from './delete-workflow.use-case';
import { GetWorkflowUseCase } from './get-workflow.use-case';
import { ListWorkflowsUseCase } from './list-workflows.use-case';
import { SaveWorkflowUseCase } from './save-workflow.use-case';
import { toWorkflowView } from './workflow-view.util';
import { WorkflowVersionPipe, type WorkflowVersion } from './workflow-version.pipe';
import { WorkflowVersionsUseCase } from './workflow-versions.use-case';

@ApiTags('workflows')
@ApiController('workflows')
export class WorkflowsController {
  constructor(
    private readonly listWorkflows: ListWorkflowsUseCase,
    private readonly getWorkflow: GetWorkflowUseCase,
    private readonly saveWorkflow: SaveWorkflowUseCase,
    private readonly deleteWorkflow: DeleteWorkflowUseCase,
    private readonly versions: WorkflowVersionsUseCase,
  ) {}

  @ApiOperation({ summary: 'The latest version of each workflow' })
  @ApiAnswer(200, EXAMPLES.workflowSummary, { list: true })
  @ApiErrors()
  @Get()
  async list(@ReadScope() scope: TenantScope): Promise<Paged<WorkflowSummaryView>> {
    return Paged.all(await this.listWorkflows.execute(scope));
  }

  @ApiOperation({ summary: 'A workflow with its YAML' })
  @ApiParam({ name: 'name', description: 'the workflow identifier', example: 'lead-enrichment' })
  @ApiAnswer(200, EXAMPLES.workflow)
  @ApiErrors('WORKFLOW_NOT_FOUND')
  @Get(':name')
  async get(@ReadScope() scope: TenantScope, @Param('name') name: string): Promise<WorkflowView> {
    return this.getWorkflow.execute(scope, name);
  }

  @ApiOperation({ summary: 'The saved versions of a workflow, newest first' })
  @ApiParam({ name: 'name', description: 'the workflow identifier', example: 'lead-enrichment' })
  @ApiAnswer(200, EXAMPLES.workflowSummary, { list: true })
  @ApiErrors('VALIDATION_ERROR', 'WORKFLOW_NOT_FOUND')
  @Get(':name/versions')
  async listVersions(
    @ReadScope() scope: TenantScope,
    @Param('name') name: string,
    @Query() query: PagingQuery,
  ): Promise<Paged<WorkflowSummaryView>> {
    return this.versions.list(scope, name, query.limit, query.offset);
  }

  @ApiOperation({ summary: 'One saved version of a workflow, with its YAML' })
  @ApiParam({ name: 'name', description: 'the workflow identifier', example: 'lead-enrichment' })
  @ApiParam({
    name: 'version',
    description: 'the version number',
    schema: { type: 'integer', minimum: 1 },
    example: 2,
  })
  @ApiAnswer(200, EXAMPLES.workflow)
  @ApiErrors('VALIDATION_ERROR', 'WORKFLOW_NOT_FOUND')
  @Get(':name/versions/:version')
  async getVersion(
    @ReadScope() scope: TenantScope,
    @Param('name') name: string,
    @Param('version', WorkflowVersionPipe) version: WorkflowVersion,
  ): Promise<WorkflowView> {
    return this.versions.get(scope, name, version);
  }

  /** 201 with the new version; 200 with the latest one when the content did not change. */
  @ApiOperation({ summary: 'Save a workflow (201 new version; 200 when unchanged)' })
  @ApiAnswer(201, EXAMPLES.savedWorkflow, { description: 'a new version (with warnings)' })
  @ApiAnswer(200, EXAMPLES.savedWorkflow, {
    description: 'the content did not change: the latest version (with warnings)',
  })
  @ApiErrors('VALIDATION_ERROR', 'INVALID_WORKFLOW', 'WORKFLOW_TOO_LARGE', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE')
  @Post()
  async save(
    @TenantId() tenantId: string,
    @Body() body: SaveWorkflowDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SavedWorkflowView> {
    const { workflow, created, warnings } = await this.saveWorkflow.execute({
      tenantId,
      name: body.name,
      content: body.content,
    });
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return { ...toWorkflowView(workflow), warnings };
  }

  @ApiOperation({ summary: 'Delete every version of a workflow' })
  @ApiParam({ name: 'name', description: 'the workflow identifier', example: 'lead-enrichment' })
  @ApiAnswer(200, EXAMPLES.workflowDeleted)
  @ApiErrors('WORKFLOW_NOT_FOUND', 'FORBIDDEN')
  @Delete(':name')
  async delete(
    @TenantId() tenantId: string,
    @Param('name') name: string,
  ): Promise<{ deleted: true; name: string }> {
    return this.deleteWorkflow.execute(tenantId, name);
  }
}
