import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsObject, IsOptional, IsString, IsUrl, MaxLength, Min, MinLength } from 'class-validator';

/** `POST /workflows/run` and `/workflows/run/sync` body. */
export class RunWorkflowDto {
  /** A saved workflow's name, or inline YAML (any value with a line break). */
  @ApiPropertyOptional({
    description: 'a saved workflow name, or inline YAML (any value with a line break)',
    example: 'lead-enrichment',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  workflow?: string;

  /** A saved workflow's name. */
  @ApiPropertyOptional({ description: 'a saved workflow name', example: 'lead-enrichment' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workflow_name?: string;

  /** The run's input: a JSON object (default `{}`). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { company: 'Acme' } })
  @IsOptional()
  @IsObject({ message: 'input must be a JSON object' })
  input?: Record<string, unknown>;

  /** Called when the run ends. */
  @ApiPropertyOptional({ format: 'uri', example: 'https://example.com/hooks/sandcastle' })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'callback_url must be an http(s) URL' },
  )
  @MaxLength(2048)
  callback_url?: string;

  @ApiPropertyOptional({ maxLength: 255, example: 'order-1234' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotency_key?: string;

  /** Budget in USD; 0 or absent = the default budget. */
  @ApiPropertyOptional({
    minimum: 0,
    example: 1.5,
    description: 'budget in USD; 0 or absent = the key limit or the default',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  max_cost_usd?: number;
}
