import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from '../http/api.exception';

/** `version` is an integer column: a larger number names no version and would not bind. */
const MAX_VERSION = 2_147_483_647;

/**
 * A version number checked by WorkflowVersionPipe. Typed as an intersection so that the emitted
 * parameter metadata is `Object`: with `number` the global validation pipe would first convert
 * the raw text (`1e3` → 1000) and this pipe could no longer refuse it.
 */
export type WorkflowVersion = number & { readonly __workflowVersion?: never };

/** The `{version}` path parameter: a whole number from 1, written plainly. */
@Injectable()
export class WorkflowVersionPipe implements PipeTransform<string, WorkflowVersion> {
  transform(value: string): WorkflowVersion {
    const version = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(version >= 1 && version <= MAX_VERSION)) {
      throw new ApiException('VALIDATION_ERROR', 'invalid request: version', [
        { field: 'version', message: 'version must be a whole number of 1 or more' },
      ]);
    }
    return version;
  }
}
