import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `POST /workflows/run/sync` query string. */
export class RunSyncQuery {
  /** How long to wait for the run to finish before answering 202 with the run so far. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  timeout_s: number = 300;
}
