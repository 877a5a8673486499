import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Body, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiController } from '../http/api-controller.decorator';
import { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { CurrentCaller, ReadScope, TenantId } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toApprovalView } from './approval-view.util';
import type { ApprovalView } from './approval.views';
import { ApprovalsRepository } from './approvals.repository';
import { DecideApprovalUseCase } from './decide-approval.use-case';
import { DecideApprovalDto } from './dto/decide-approval.dto';
import { ListApprovalsQuery } from './dto/list-approvals.query';

/** Human approval steps: the list to act on, and the decision (docs/runtimes.md#human-approval). */
@ApiTags('approvals')
@ApiController()
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsRepository,
    private readonly decide: DecideApprovalUseCase,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @ApiOperation({ summary: "The tenant's approvals, newest first (status=pending: waiting for a decision)" })
  @ApiAnswer(200, EXAMPLES.approval, { list: true })
  @ApiErrors('VALIDATION_ERROR')
  @Get('approvals')
  async list(
    @ReadScope() scope: TenantScope,
    @Query() query: ListApprovalsQuery,
  ): Promise<Paged<ApprovalView>> {
    const { rows, total } = await this.approvals.list(scope, query.status, query.limit, query.offset);
    const max = this.config.MAX_EVENT_OUTPUT_BYTES;
    return new Paged(
      rows.map((row) => toApprovalView(row, max)),
      { total, limit: query.limit, offset: query.offset },
    );
  }

  @ApiOperation({
    summary: 'Decide an approval step: approve, reject or skip (once; a second decision is 409)',
  })
  @ApiIdParam('run')
  @ApiParam({ name: 'step', description: 'the approval step id', example: 'approve_send' })
  @ApiAnswer(200, EXAMPLES.approvalDecided)
  @ApiErrors(
    'VALIDATION_ERROR',
    'INVALID_ID',
    'RUN_NOT_FOUND',
    'APPROVAL_NOT_FOUND',
    'APPROVAL_ALREADY_DECIDED',
    'FORBIDDEN',
  )
  @Post('runs/:id/approvals/:step')
  @HttpCode(HttpStatus.OK)
  async decideOne(
    @CurrentCaller() caller: Caller,
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) runId: string,
    @Param('step') stepId: string,
    @Body() body: DecideApprovalDto,
  ): Promise<ApprovalView> {
    return this.decide.execute(caller, tenantId, runId, stepId.slice(0, 200), body);
  }
}
