import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `POST /workflows/run/sync` query string. */
export class RunSyncQuery {
  /** How long to wait for the run to finish before answering 202 with the run so far. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 3600,
    default: 300,
    example: 60,
    description: 'seconds to wait for the run to finish',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  timeout_s: number = 300;
}
