import { databaseNameOf, quoteIdentifier, redactPassword, withDatabase } from './database-url.util';

describe('database URL utilities', () => {
  it('reads the database name, decoding escapes', () => {
    expect(databaseNameOf('postgres://postgres@127.0.0.1:5432/sandcastle')).toBe('sandcastle');
    expect(databaseNameOf('postgres://u:p@db/my%20db?sslmode=require')).toBe('my db');
  });

  it('refuses a URL without a database name', () => {
    expect(() => databaseNameOf('postgres://u:secret@127.0.0.1:5432')).toThrow(/names no database/);
    expect(() => databaseNameOf('postgres://u:secret@127.0.0.1:5432')).not.toThrow(/secret/);
  });

  it('swaps the database and keeps server, credentials and parameters', () => {
    const swapped = withDatabase('postgres://u:p@db.example:6543/app?sslmode=require', 'postgres');
    expect(swapped).toBe('postgres://u:p@db.example:6543/postgres?sslmode=require');
    expect(databaseNameOf(withDatabase('postgres://u@h/app', 'odd/name'))).toBe('odd/name');
  });

  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdentifier('sc_test_1')).toBe('"sc_test_1"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });

  it('hides the password', () => {
    expect(redactPassword('postgres://u:secret@h/app')).toBe('postgres://u:***@h/app');
    expect(redactPassword('postgres://u@h/app')).toBe('postgres://u@h/app');
  });
});
