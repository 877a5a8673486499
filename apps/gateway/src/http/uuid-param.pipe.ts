import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from './api.exception';

// Any 8-4-4-4-12 hex string: PostgreSQL's uuid type accepts every version (and the nil uuid).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that cannot be a UUID is the caller's mistake (400 INVALID_ID), not a missing row. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value))
      throw new ApiException('INVALID_ID', `'${value.slice(0, 100)}' is not a valid id (a UUID)`);
    return value.toLowerCase();
  }
}
