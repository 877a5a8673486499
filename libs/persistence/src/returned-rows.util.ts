/**
 * The rows of a raw `query()` with RETURNING. TypeORM answers an UPDATE or DELETE with
 * `[rows, affectedCount]` and anything else with the rows, so `.length` of the raw answer of an
 * UPDATE is always 2; this gives the rows in both cases.
 */
export function returnedRows<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return raw[0] as T[];
  }
  return raw as T[];
}
