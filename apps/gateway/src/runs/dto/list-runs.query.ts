import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { RUN_STATUSES, type RunStatus } from '@sandcastle/contracts';

/** `GET /runs` query string. */
export class ListRunsQuery {
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;

  /** Exact workflow name (the identifier). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  workflow?: string;

  /** Runs created at or after this time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Runs created before this time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @IsOptional()
  @IsUUID('loose')
  parent_run_id?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
