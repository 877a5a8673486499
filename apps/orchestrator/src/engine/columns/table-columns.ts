/**
 * A typed description of the columns of a table the engine maps to a row object: each column
 * once, with its SQL name, SQL type, how the engine writes it and, where the stored value differs
 * from the engine's, the conversion. The row type, the SELECT lists, the row mapping and the
 * write statements are all derived from it, and a schema test holds it against the migrated
 * database (columns.int-spec.ts), so a column cannot be renamed or retyped on one side only.
 */

/** PostgreSQL types as a cast or a jsonb_to_recordset column definition spells them. */
export type SqlType =
  'uuid' | 'varchar' | 'text' | 'int' | 'double precision' | 'boolean' | 'jsonb' | 'timestamptz';

/**
 * How the engine's save writes a column: `set` overwrites it; `fill` sets it only while it is
 * NULL, keeping the first value; `key` identifies the row (written when the row is inserted,
 * matched on update, never changed); `read` the engine never writes it.
 */
export type ColumnWrite = 'set' | 'fill' | 'key' | 'read';

/**
 * One column whose value in the engine's row has type T; S is the value as stored (what
 * node-postgres returns, and what the write statement's JSON carries) when a conversion is
 * needed. The conversions are methods so a spec of any T fits a table's spec list.
 */
export interface ColumnSpec<T, S = T> {
  readonly name: string;
  readonly type: SqlType;
  readonly write: ColumnWrite;
  toDb?(value: T): S;
  fromDb?(stored: S): T;
}

export function column<T, S = T>(
  name: string,
  type: SqlType,
  options: { write?: ColumnWrite; toDb?: (value: T) => S; fromDb?: (stored: S) => T } = {},
): ColumnSpec<T, S> {
  return { name, type, write: options.write ?? 'set', toDb: options.toDb, fromDb: options.fromDb };
}

/** The row object a table's column specs describe (property docs carry over from the specs). */
export type RowOf<D> = {
  -readonly [K in keyof D]: D[K] extends ColumnSpec<infer T, infer _S> ? T : never;
};

/** A column with the row property it maps to, as the derived SQL and mapping loops use it. */
export interface MappedColumn {
  readonly prop: string;
  readonly name: string;
  readonly type: SqlType;
  readonly write: ColumnWrite;
  readonly toDb: ((value: unknown) => unknown) | undefined;
  readonly fromDb: ((stored: unknown) => unknown) | undefined;
}

export interface TableColumns<D> {
  readonly table: string;
  /** The specs by row property. */
  readonly specs: D;
  /** Every column, in declaration order. */
  readonly columns: readonly MappedColumn[];
}

export function defineTable<D extends Record<string, ColumnSpec<unknown, unknown>>>(
  table: string,
  specs: D,
): TableColumns<D> {
  const columns = Object.entries(specs).map(([prop, spec]): MappedColumn => ({
    prop,
    name: spec.name,
    type: spec.type,
    write: spec.write,
    // Each conversion is typed where its column is declared; the loops below only ever pass it
    // the value of its own column.
    toDb: spec.toDb,
    fromDb: spec.fromDb,
  }));
  return { table, specs, columns };
}

/** `a, b, c`: the SQL names, for an INSERT column list or a SELECT from a recordset. */
export function columnNames(columns: readonly MappedColumn[]): string {
  return columns.map((c) => c.name).join(', ');
}

/** `a varchar, b int`: a jsonb_to_recordset column definition list (its JSON keys are the SQL names). */
export function recordsetColumns(columns: readonly MappedColumn[]): string {
  return columns.map((c) => `${c.name} ${c.type}`).join(', ');
}

/**
 * `step_id AS "stepId", status, …`: a SELECT list naming each column after its row property, so
 * node-postgres builds the row object itself and only converted columns are touched after.
 */
export function selectList(columns: readonly MappedColumn[]): string {
  return columns.map((c) => (c.name === c.prop ? c.name : `${c.name} AS "${c.prop}"`)).join(', ');
}

/** The columns whose stored value needs converting on read. */
export function readConversions(columns: readonly MappedColumn[]): MappedColumn[] {
  return columns.filter((c) => c.fromDb !== undefined);
}

/**
 * Turns rows selected with selectList() into row objects, in place: only the columns in
 * `conversions` (readConversions()) change. Hot path: a plain loop, nothing allocated per row.
 */
export function rowsFromDb<R>(rows: Record<string, unknown>[], conversions: readonly MappedColumn[]): R[] {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < conversions.length; j++) {
      const c = conversions[j]!;
      row[c.prop] = c.fromDb!(row[c.prop]);
    }
  }
  return rows as R[];
}

/**
 * Adds the row's values of `columns` to `record` under their SQL names (converted where the
 * column says), for a jsonb_to_recordset write; returns `record`.
 */
export function recordOf(
  row: object,
  columns: readonly MappedColumn[],
  record: Record<string, unknown>,
): Record<string, unknown> {
  const values = row as Record<string, unknown>;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const value = values[c.prop];
    record[c.name] = c.toDb === undefined ? value : c.toDb(value);
  }
  return record;
}

/**
 * `a = x.a, b = coalesce(t.b, x.b)`: the assignments of an UPDATE (or ON CONFLICT DO UPDATE) for
 * the `set` and `fill` columns, `current` naming the stored row and `incoming` the new values.
 */
export function updateAssignments(
  columns: readonly MappedColumn[],
  current: string,
  incoming: string,
): string {
  return columns
    .filter((c) => c.write === 'set' || c.write === 'fill')
    .map((c) =>
      c.write === 'fill'
        ? `${c.name} = coalesce(${current}.${c.name}, ${incoming}.${c.name})`
        : `${c.name} = ${incoming}.${c.name}`,
    )
    .join(', ');
}
