import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PagingQuery } from '../../http/paging.query';
import { TENANT_ID_PATTERN } from './create-api-key.dto';

/** `GET /api-keys` query string. */
export class ListApiKeysQuery extends PagingQuery {
  /** Only this tenant's keys (the admin key); a tenant key may only name its own tenant. */
  @ApiPropertyOptional({ example: 'acme', description: "only this tenant's keys" })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: 'tenant_id is not a valid tenant id' })
  tenant_id?: string;
}
