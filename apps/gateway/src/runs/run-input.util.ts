import { findUnstorableText, jsonBytes, storableString } from '@sandcastle/contracts';
import { ApiException } from '../http/api.exception';

/**
 * Checks a run input before anything is stored: at most `maxBytes` as JSON (`INPUT_TOO_LARGE`,
 * with the limit and the actual size), and no string or key PostgreSQL cannot store (NUL, an
 * unpaired surrogate: `VALIDATION_ERROR` naming the field). Refused rather than silently
 * altered: the input is the tenant's data, and a changed input would be a different request.
 */
export function checkRunInput(input: Record<string, unknown>, maxBytes: number): void {
  const bytes = jsonBytes(input);
  if (bytes > maxBytes) {
    const message = `the input is ${bytes} bytes as JSON, above the limit of ${maxBytes} (MAX_INPUT_BYTES)`;
    throw new ApiException('INPUT_TOO_LARGE', 'the run input is too large', [
      { field: 'input', message, limit: maxBytes, actual: bytes },
    ]);
  }
  const path = findUnstorableText(input, 'input');
  if (path !== null) {
    throw new ApiException('VALIDATION_ERROR', 'the run input cannot be stored', [
      {
        field: storableString(path),
        message: 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored',
      },
    ]);
  }
}
