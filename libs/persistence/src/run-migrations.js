"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATION_LOCK_KEY = void 0;
exports.runMigrations = runMigrations;
const create_data_source_1 = require("./create-data-source");
/**
 * Advisory lock key that serialises migration runs on one database. Arbitrary but fixed: every
 * version of every app must use the same value. Advisory locks are scoped to the database, so
 * runs against different databases on one server do not wait for each other.
 */
exports.MIGRATION_LOCK_KEY = '6431784935129051';
/**
 * Applies every pending migration to the database at `url` and returns the names applied (empty
 * when the schema was already current). Several processes may call it at once (e.g. replicas
 * booting together): each waits for a session-level advisory lock, so one applies the migrations
 * and the others then find nothing pending.
 */
async function runMigrations(url) {
    // Two connections: one holds the lock for the whole run, the other runs the migrations.
    const dataSource = (0, create_data_source_1.createDataSource)(url, { poolSize: 2, applicationName: 'sandcastle-migrations' });
    await dataSource.initialize();
    try {
        const lockHolder = dataSource.createQueryRunner();
        try {
            await lockHolder.connect();
            await lockHolder.query('SELECT pg_advisory_lock($1::bigint)', [exports.MIGRATION_LOCK_KEY]);
            try {
                const applied = await dataSource.runMigrations({ transaction: 'each' });
                return applied.map((migration) => migration.name);
            }
            finally {
                await lockHolder.query('SELECT pg_advisory_unlock($1::bigint)', [exports.MIGRATION_LOCK_KEY]);
            }
        }
        finally {
            // Should anything above fail, closing the pool ends the session, and with it the lock.
            await lockHolder.release();
        }
    }
    finally {
        await dataSource.destroy();
    }
}
//# sourceMappingURL=run-migrations.js.map