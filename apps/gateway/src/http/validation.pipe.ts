import { ValidationPipe } from '@nestjs/common';
import { ApiException } from './api.exception';
import { validationProblems } from './validation-problems.util';

/**
 * Every body and query string is checked against its DTO: unknown fields are an error (a typo
 * such as `max_cost` must not be silently ignored), query numbers are converted, and failures
 * become 400 VALIDATION_ERROR listing each bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
