import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { RUN_STATUSES, type RunStatus } from '@sandcastle/contracts';

/** `GET /runs` query string. */
export class ListRunsQuery {
  @ApiPropertyOptional({ enum: RUN_STATUSES, example: 'completed' })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;

  /** Exact workflow name (the identifier). */
  @ApiPropertyOptional({ description: 'exact workflow name', example: 'lead-enrichment' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  workflow?: string;

  /** Runs created at or after this time. */
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'runs created at or after',
    example: '2026-11-20T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Runs created before this time. */
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'runs created before',
    example: '2026-11-21T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '3f6c1c8e-2a7b-4d3e-9a51-0c8f4b7e2d10' })
  @IsOptional()
  @IsUUID('loose')
  parent_run_id?: string;

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
