import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { TENANT_ID_PATTERN } from './create-api-key.dto';

/** `GET /api-keys` query string. */
export class ListApiKeysQuery {
  /** Only this tenant's keys (the admin key); a tenant key may only name its own tenant. */
  @ApiPropertyOptional({ example: 'acme', description: "only this tenant's keys" })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: 'tenant_id is not a valid tenant id' })
  tenant_id?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, example: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
