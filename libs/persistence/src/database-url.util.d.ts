/** The database a PostgreSQL connection URL points at. */
export declare function databaseNameOf(url: string): string;
/** The same server, credentials and parameters as `url`, but another database. */
export declare function withDatabase(url: string, database: string): string;
/** Quotes an SQL identifier (database names cannot be bound as parameters). */
export declare function quoteIdentifier(name: string): string;
/** The URL with its password hidden, safe for error messages and logs. */
export declare function redactPassword(url: string): string;
