import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** `notify: {slack}`: a Slack incoming-webhook URL (null clears it). */
export class NotifyDto {
  // `type` spelled out: a `string | null` property reflects as Object, which the document would show.
  @ApiPropertyOptional({
    type: 'string',
    format: 'uri',
    nullable: true,
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUrl(HTTP_URL, { message: 'notify.slack must be an http(s) URL' })
  @MaxLength(2048)
  slack?: string | null;
}

/** The fields a schedule's PATCH may change; POST adds the workflow (docs/api.md, Schedules). */
export class ScheduleFieldsDto {
  @ApiPropertyOptional({ example: '0 */6 * * *', description: '5 fields, or 6 with leading seconds' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  cron_expression?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timezone?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { company: 'Acme' } })
  @IsOptional()
  @IsObject({ message: 'input_data must be a JSON object' })
  input_data?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    enum: ['allow', 'skip'],
    default: 'allow',
    description: 'skip: no run while the previous one is active',
  })
  @IsOptional()
  @IsIn(['allow', 'skip'])
  overlap?: 'allow' | 'skip';

  @ApiPropertyOptional({
    type: 'number',
    minimum: 0,
    nullable: true,
    example: 2,
    description: 'budget per run in USD; 0/null = not set',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  max_cost_usd?: number | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uri',
    nullable: true,
    example: 'https://example.com/hooks/sandcastle',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUrl(HTTP_URL, { message: 'callback_url must be an http(s) URL' })
  @MaxLength(2048)
  callback_url?: string | null;

  @ApiPropertyOptional({ type: NotifyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NotifyDto)
  notify?: NotifyDto;
}
