import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { findUnstorableText, storableString } from '@sandcastle/contracts';
import { ApiException } from './api.exception';
import { validationProblems } from './validation-problems.util';

/**
 * Every body and query string is checked against its DTO: unknown fields are an error (a typo
 * such as `max_cost` must not be silently ignored), query numbers are converted, and failures
 * become 400 VALIDATION_ERROR listing each bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new StorableTextValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = validationProblems(errors);
      const fields = [...new Set(details.map((d) => d.field))].join(', ');
      return new ApiException('VALIDATION_ERROR', `invalid request: ${fields}`, details);
    },
  });
}

/**
 * Also refuses text PostgreSQL cannot store anywhere in a body or query (a NUL, an unpaired
 * surrogate): without this, `{"input": {"a": "\u0000"}}` reached the database and came back as
 * a 500. The field is named, the value is not echoed.
 */
class StorableTextValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const path = findUnstorableText(value);
      if (path !== null) {
        const field = storableString(path) || metadata.type;
        throw new ApiException('VALIDATION_ERROR', `invalid request: ${field}`, [
          {
            field,
            message: 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored',
          },
        ]);
      }
    }
    return super.transform(value, metadata);
  }
}
