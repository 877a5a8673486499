import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ReadScope, TenantId } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import type { DeadLetterItemView, DeadLetterRetriedView } from './dead-letter.views';
import { ListDeadLetterQuery } from './dto/list-dead-letter.query';
import { ResolveDeadLetterDto } from './dto/resolve-dead-letter.dto';
import { ListDeadLetterUseCase } from './list-dead-letter.use-case';
import { ResolveDeadLetterUseCase } from './resolve-dead-letter.use-case';
import { RetryDeadLetterUseCase } from './retry-dead-letter.use-case';

@ApiTags('dead letter queue')
@ApiController('dead-letter')
export class DeadLetterController {
  constructor(
    private readonly listItems: ListDeadLetterUseCase,
    private readonly retryItem: RetryDeadLetterUseCase,
    private readonly resolveItem: ResolveDeadLetterUseCase,
  ) {}

  @ApiOperation({ summary: 'Dead letter items, newest first (meta.open = open items)' })
  @ApiAnswer(200, EXAMPLES.deadLetterItem, { list: true })
  @ApiErrors('VALIDATION_ERROR')
  @Get()
  async list(
    @ReadScope() scope: TenantScope,
    @Query() query: ListDeadLetterQuery,
  ): Promise<Paged<DeadLetterItemView>> {
    return this.listItems.execute(scope, query);
  }

  @ApiOperation({ summary: 'Retry an item as a full new run' })
  @ApiIdParam('dead letter item')
  @ApiAnswer(200, EXAMPLES.retried)
  @ApiErrors('INVALID_ID', 'DLQ_ITEM_NOT_FOUND', 'ALREADY_RESOLVED', 'INVALID_WORKFLOW', 'FORBIDDEN')
  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  async retry(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<DeadLetterRetriedView> {
    return this.retryItem.execute(tenantId, id);
  }

  @ApiOperation({ summary: 'Close an item without a retry' })
  @ApiIdParam('dead letter item')
  @ApiAnswer(200, {
    ...EXAMPLES.deadLetterItem,
    resolved_at: '2026-11-20T10:00:00.000Z',
    resolved_by: 'manual',
  })
  @ApiErrors('VALIDATION_ERROR', 'INVALID_ID', 'DLQ_ITEM_NOT_FOUND', 'ALREADY_RESOLVED', 'FORBIDDEN')
  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  async resolve(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ResolveDeadLetterDto,
  ): Promise<DeadLetterItemView> {
    return this.resolveItem.execute(tenantId, id, body.reason ?? null);
  }
}
