import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { CurrentCaller } from '../tenancy/tenant.decorator';
import { ALL_TENANTS } from '../tenancy/tenant-scope';
import type { ApiKeyView, CreatedApiKeyView, DeactivatedApiKeyView } from './api-key.views';
import type { Caller } from './caller';
import { CreateApiKeyUseCase } from './create-api-key.use-case';
import { DeactivateApiKeyUseCase } from './deactivate-api-key.use-case';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ListApiKeysQuery } from './dto/list-api-keys.query';
import { keyScopeOf } from './key-access.util';
import { ListApiKeysUseCase } from './list-api-keys.use-case';

@ApiTags('API keys')
@ApiController('api-keys')
export class ApiKeysController {
  constructor(
    private readonly createKey: CreateApiKeyUseCase,
    private readonly listKeys: ListApiKeysUseCase,
    private readonly deactivateKey: DeactivateApiKeyUseCase,
  ) {}

  @ApiOperation({ summary: 'Create an API key (the key is shown only in this answer)' })
  @ApiAnswer(201, EXAMPLES.createdApiKey)
  @ApiErrors('VALIDATION_ERROR', 'FORBIDDEN')
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@CurrentCaller() caller: Caller, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const tenantId = keyScopeOf(caller, body.tenant_id);
    // keyScopeOf only widens to every tenant when no tenant is named, and the body always names one.
    if (tenantId === ALL_TENANTS) throw new Error('unreachable: a key is created for a named tenant');
    return this.createKey.execute({
      tenantId,
      name: body.name,
      maxCostPerRunUsd: body.max_cost_per_run_usd ?? null,
    });
  }

  @ApiOperation({ summary: "Active keys of the caller's tenant (admin: every tenant, or tenant_id)" })
  @ApiAnswer(200, EXAMPLES.apiKey, { list: true })
  @ApiErrors('VALIDATION_ERROR', 'FORBIDDEN')
  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: ListApiKeysQuery): Promise<Paged<ApiKeyView>> {
    return this.listKeys.execute(keyScopeOf(caller, query.tenant_id), query.limit, query.offset);
  }

  @ApiOperation({ summary: 'Deactivate a key (soft delete)' })
  @ApiIdParam('API key')
  @ApiAnswer(200, EXAMPLES.deactivated)
  @ApiErrors('INVALID_ID', 'API_KEY_NOT_FOUND')
  @Delete(':id')
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<DeactivatedApiKeyView> {
    return this.deactivateKey.execute(keyScopeOf(caller), id);
  }
}
