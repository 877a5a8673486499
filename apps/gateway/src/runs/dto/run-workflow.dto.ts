import { IsNumber, IsObject, IsOptional, IsString, IsUrl, MaxLength, Min, MinLength } from 'class-validator';

/** `POST /workflows/run` and `/workflows/run/sync` body. */
export class RunWorkflowDto {
  /** A saved workflow's name, or inline YAML (any value with a line break). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  workflow?: string;

  /** A saved workflow's name. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workflow_name?: string;

  /** The run's input: a JSON object (default `{}`). */
  @IsOptional()
  @IsObject({ message: 'input must be a JSON object' })
  input?: Record<string, unknown>;

  /** Called when the run ends. */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'callback_url must be an http(s) URL' },
  )
  @MaxLength(2048)
  callback_url?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotency_key?: string;

  /** Budget in USD; 0 or absent = the default budget. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  max_cost_usd?: number;
}
