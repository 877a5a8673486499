"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.databaseNameOf = databaseNameOf;
exports.withDatabase = withDatabase;
exports.quoteIdentifier = quoteIdentifier;
exports.redactPassword = redactPassword;
/** The database a PostgreSQL connection URL points at. */
function databaseNameOf(url) {
    const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
    if (name === '')
        throw new Error(`database URL names no database: ${redactPassword(url)}`);
    return name;
}
/** The same server, credentials and parameters as `url`, but another database. */
function withDatabase(url, database) {
    const parsed = new URL(url);
    parsed.pathname = `/${encodeURIComponent(database)}`;
    return parsed.toString();
}
/** Quotes an SQL identifier (database names cannot be bound as parameters). */
function quoteIdentifier(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
/** The URL with its password hidden, safe for error messages and logs. */
function redactPassword(url) {
    try {
        const parsed = new URL(url);
        if (parsed.password !== '')
            parsed.password = '***';
        return parsed.toString();
    }
    catch {
        return '<unparseable database URL>';
    }
}
//# sourceMappingURL=database-url.util.js.map