"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureDatabase = ensureDatabase;
const pg_1 = require("pg");
const database_url_util_1 = require("./database-url.util");
const pg_errors_util_1 = require("./pg-errors.util");
/** The maintenance database every PostgreSQL server has, used to create the others. */
const MAINTENANCE_DATABASE = 'postgres';
/**
 * Creates the database `url` points at if it does not exist yet, connecting to the `postgres`
 * maintenance database of the same server with the same credentials. Returns true when it
 * created the database. Safe to race: losing to another creator counts as "already there".
 */
async function ensureDatabase(url) {
    const database = (0, database_url_util_1.databaseNameOf)(url);
    const client = new pg_1.Client({
        connectionString: (0, database_url_util_1.withDatabase)(url, MAINTENANCE_DATABASE),
        application_name: 'sandcastle-ensure-database',
    });
    await client.connect();
    try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (found.rowCount !== 0)
            return false;
        try {
            await client.query(`CREATE DATABASE ${(0, database_url_util_1.quoteIdentifier)(database)}`);
            return true;
        }
        catch (err) {
            // A concurrent CREATE DATABASE surfaces as either error, depending on who got how far.
            if ((0, pg_errors_util_1.isPgError)(err, pg_errors_util_1.PG_DUPLICATE_DATABASE) || (0, pg_errors_util_1.isPgUniqueViolation)(err))
                return false;
            throw err;
        }
    }
    finally {
        await client.end();
    }
}
//# sourceMappingURL=ensure-database.js.map