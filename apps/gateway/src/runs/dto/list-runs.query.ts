import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { RUN_STATUSES, type RunStatus } from '@sandcastle/contracts';
import { PagingQuery } from '../../http/paging.query';

/** `GET /runs` query string. */
export class ListRunsQuery extends PagingQuery {
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

  /** Runs a schedule started. */
  @ApiPropertyOptional({ format: 'uuid', example: '7d1e0f5a-3c2b-4a19-8e6d-5b4c3a291f08' })
  @IsOptional()
  @IsUUID('loose')
  schedule_id?: string;
}
