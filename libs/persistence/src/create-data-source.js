"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_DATABASE_URL = exports.MIGRATIONS_TABLE_NAME = void 0;
exports.createDataSource = createDataSource;
const typeorm_1 = require("typeorm");
const entities_1 = require("./entities");
const migrations_1 = require("./migrations");
exports.MIGRATIONS_TABLE_NAME = 'typeorm_migrations';
/** Used when DATABASE_URL is not set: the local development server. */
exports.DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/sandcastle';
/**
 * A PostgreSQL DataSource with every entity and migration registered; not yet initialised.
 * The schema belongs to the migrations alone: TypeORM never synchronises it, never runs
 * migrations on connect and never tries to install extensions (that needs a superuser).
 */
function createDataSource(url, opts = {}) {
    return new typeorm_1.DataSource({
        type: 'postgres',
        url,
        entities: entities_1.ENTITIES,
        migrations: migrations_1.MIGRATIONS,
        migrationsTableName: exports.MIGRATIONS_TABLE_NAME,
        // Each migration commits on its own, so a failure keeps the ones before it applied.
        migrationsTransactionMode: 'each',
        migrationsRun: false,
        synchronize: false,
        installExtensions: false,
        poolSize: opts.poolSize,
        logging: opts.logging ?? false,
        applicationName: opts.applicationName,
    });
}
//# sourceMappingURL=create-data-source.js.map