import {
  column,
  columnNames,
  defineTable,
  readConversions,
  recordOf,
  recordsetColumns,
  rowsFromDb,
  selectList,
  updateAssignments,
  type RowOf,
} from './table-columns';

const SPECS = {
  id: column<string>('id', 'uuid', { write: 'key' }),
  seen: column<number | null, number>('seen_count', 'int', {
    toDb: (v) => v ?? 0,
    fromDb: (s) => (s === 0 ? null : s),
  }),
  note: column<string | null>('note', 'text', { write: 'fill' }),
  owner: column<string>('owner', 'varchar', { write: 'read' }),
};
const TABLE = defineTable('things', SPECS);
type Thing = RowOf<typeof SPECS>;

describe('table columns', () => {
  it('derives the SQL lists in declaration order, naming each column after its property', () => {
    expect(columnNames(TABLE.columns)).toBe('id, seen_count, note, owner');
    expect(recordsetColumns(TABLE.columns)).toBe('id uuid, seen_count int, note text, owner varchar');
    expect(selectList(TABLE.columns)).toBe('id, seen_count AS "seen", note, owner');
  });

  it('updates `set` columns, fills `fill` ones only while NULL, and leaves keys and read-only columns', () => {
    expect(updateAssignments(TABLE.columns, 't', 'x')).toBe(
      'seen_count = x.seen_count, note = coalesce(t.note, x.note)',
    );
  });

  it('converts selected rows in place, touching only the converted columns', () => {
    const selected: Record<string, unknown>[] = [
      { id: 'a', seen: 0, note: null, owner: 'o' },
      { id: 'b', seen: 3, note: 'n', owner: 'o' },
    ];
    const rows = rowsFromDb<Thing>(selected, readConversions(TABLE.columns));
    expect(rows[0]).toBe(selected[0]);
    expect(rows).toEqual([
      { id: 'a', seen: null, note: null, owner: 'o' },
      { id: 'b', seen: 3, note: 'n', owner: 'o' },
    ]);
  });

  it('builds a write record under the SQL names, converted, next to what the caller put in it', () => {
    const thing: Thing = { id: 'a', seen: null, note: 'n', owner: 'o' };
    const written = TABLE.columns.filter((c) => c.write !== 'read');
    expect(recordOf(thing, written, { tenant_id: 't' })).toEqual({
      tenant_id: 't',
      id: 'a',
      seen_count: 0,
      note: 'n',
    });
  });
});
