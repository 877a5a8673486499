import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';

/** A tenant id: what clients and operators type, so a plain slug. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** `POST /api-keys` body. */
export class CreateApiKeyDto {
  /** The tenant the key acts for; a tenant key may only name its own tenant. */
  @IsString()
  @Matches(TENANT_ID_PATTERN, {
    message:
      'tenant_id must be 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  })
  @ApiProperty({ example: 'acme', pattern: TENANT_ID_PATTERN.source })
  tenant_id!: string;

  /** What the key is for, e.g. "billing service". */
  @ApiProperty({ example: 'billing service', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  /** The budget of a run started with this key that asks for none; absent = no key limit. */
  @ApiPropertyOptional({
    minimum: 0,
    example: 2.5,
    description: 'budget of a run started with this key that asks for none',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  max_cost_per_run_usd?: number;
}
