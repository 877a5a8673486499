import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import type { DeliveryView } from '@sandcastle/contracts';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ReadScope, TenantId } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { DeliveriesUseCase } from './deliveries.use-case';

@ApiTags('webhooks')
@ApiController()
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesUseCase) {}

  @ApiOperation({ summary: "A run's webhook and Slack deliveries, each with its attempts" })
  @ApiIdParam('run')
  @ApiAnswer(200, EXAMPLES.delivery, { list: true })
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND')
  @Get('runs/:id/deliveries')
  async list(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<Paged<DeliveryView>> {
    return this.deliveries.listForRun(scope, id);
  }

  @ApiOperation({ summary: 'Send a delivery again now (same delivery id, a fresh retry window)' })
  @ApiIdParam('delivery')
  @ApiAnswer(200, { ...EXAMPLES.delivery, status: 'pending' })
  @ApiErrors('INVALID_ID', 'DELIVERY_NOT_FOUND', 'INVALID_STATUS', 'FORBIDDEN')
  @Post('deliveries/:id/redeliver')
  @HttpCode(HttpStatus.OK)
  async redeliver(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<DeliveryView> {
    return this.deliveries.redeliver(tenantId, id);
  }
}
