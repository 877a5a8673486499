import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from '../http/api.exception';

/** checkpoint_seq is an integer column: a larger number cannot name a checkpoint, and would not bind. */
const MAX_SEQ = 2_147_483_647;

/** The 400 for a `seq` that names no checkpoint of the run (malformed, or beyond its last one). */
export function invalidSeq(message: string): ApiException {
  return new ApiException('VALIDATION_ERROR', 'invalid request: seq', [{ field: 'seq', message }]);
}

/**
 * The `{seq}` path parameter: a whole number from 1, written plainly (no sign, exponent or
 * fraction). Whether the run has that many checkpoints is the use case's check: it needs the run.
 */
@Injectable()
export class CheckpointSeqPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const seq = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(seq >= 1 && seq <= MAX_SEQ)) throw invalidSeq('seq must be a whole number of 1 or more');
    return seq;
  }
}
