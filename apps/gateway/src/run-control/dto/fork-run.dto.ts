import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { STEP_CHANGE_KEYS } from '@sandcastle/workflow';
import { ReplayRunDto } from './replay-run.dto';

/**
 * What a fork changes on its step. Only the shape is checked here (types, unknown keys); the
 * workflow rules — bounds, model names, what a prompt may refer to — are applied by
 * `applyStepChanges`, the same code that knows how a parsed step is validated.
 */
export class ForkChangesDto {
  @ApiPropertyOptional({ example: 'Score {steps.scrape.output} from 0 to 100' })
  @IsOptional()
  @IsString()
  prompt?: string;

  @ApiPropertyOptional({ example: 'opus' })
  @IsOptional()
  @IsString()
  model?: string;

  @ApiPropertyOptional({ type: 'integer', example: 5 })
  @IsOptional()
  @IsInt()
  max_turns?: number;

  @ApiPropertyOptional({ type: 'integer', example: 300 })
  @IsOptional()
  @IsInt()
  timeout?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { type: 'object' } })
  @IsOptional()
  @IsObject({ message: 'output_schema must be a JSON object (a JSON Schema)' })
  output_schema?: Record<string, unknown>;
}

/** At least one of `keys` is set (not null) on the object. */
function HasSomeOf(keys: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasSomeOf',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          keys.some((key) => (value as Record<string, unknown>)[key] != null),
        defaultMessage: (args) => `${args?.property ?? 'value'} must set at least one of ${keys.join(', ')}`,
      },
    },
    options,
  );
}

/** `POST /runs/{id}/fork` body. */
export class ForkRunDto extends ReplayRunDto {
  @ApiProperty({
    type: () => ForkChangesDto,
    description: 'at least one of prompt, model, max_turns, timeout, output_schema',
  })
  @IsDefined()
  @IsObject()
  @HasSomeOf(STEP_CHANGE_KEYS)
  @ValidateNested()
  @Type(() => ForkChangesDto)
  changes!: ForkChangesDto;

  /** A new run input; absent = the parent run's input. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { company: 'Globex' },
    description: "a new run input; absent = the parent's",
  })
  @IsOptional()
  @IsObject({ message: 'input must be a JSON object' })
  input?: Record<string, unknown>;
}
