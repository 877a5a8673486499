"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PersistenceModule = exports.withDatabase = exports.redactPassword = exports.databaseNameOf = exports.PG_UNIQUE_VIOLATION = exports.PG_DUPLICATE_DATABASE = exports.isPgUniqueViolation = exports.isPgError = exports.ensureDatabase = exports.MIGRATION_LOCK_KEY = exports.runMigrations = exports.MIGRATIONS_TABLE_NAME = exports.DEFAULT_DATABASE_URL = exports.createDataSource = exports.InitialSchema1795669714882 = exports.MIGRATIONS = void 0;
// Not exported here: ./data-source (builds a DataSource on import; it is the CLI entry) and
// ./testing (test helpers, left out of the build; import them from '@sandcastle/persistence/testing').
__exportStar(require("./entities"), exports);
var migrations_1 = require("./migrations");
Object.defineProperty(exports, "MIGRATIONS", { enumerable: true, get: function () { return migrations_1.MIGRATIONS; } });
Object.defineProperty(exports, "InitialSchema1795669714882", { enumerable: true, get: function () { return migrations_1.InitialSchema1795669714882; } });
var create_data_source_1 = require("./create-data-source");
Object.defineProperty(exports, "createDataSource", { enumerable: true, get: function () { return create_data_source_1.createDataSource; } });
Object.defineProperty(exports, "DEFAULT_DATABASE_URL", { enumerable: true, get: function () { return create_data_source_1.DEFAULT_DATABASE_URL; } });
Object.defineProperty(exports, "MIGRATIONS_TABLE_NAME", { enumerable: true, get: function () { return create_data_source_1.MIGRATIONS_TABLE_NAME; } });
var run_migrations_1 = require("./run-migrations");
Object.defineProperty(exports, "runMigrations", { enumerable: true, get: function () { return run_migrations_1.runMigrations; } });
Object.defineProperty(exports, "MIGRATION_LOCK_KEY", { enumerable: true, get: function () { return run_migrations_1.MIGRATION_LOCK_KEY; } });
var ensure_database_1 = require("./ensure-database");
Object.defineProperty(exports, "ensureDatabase", { enumerable: true, get: function () { return ensure_database_1.ensureDatabase; } });
var pg_errors_util_1 = require("./pg-errors.util");
Object.defineProperty(exports, "isPgError", { enumerable: true, get: function () { return pg_errors_util_1.isPgError; } });
Object.defineProperty(exports, "isPgUniqueViolation", { enumerable: true, get: function () { return pg_errors_util_1.isPgUniqueViolation; } });
Object.defineProperty(exports, "PG_DUPLICATE_DATABASE", { enumerable: true, get: function () { return pg_errors_util_1.PG_DUPLICATE_DATABASE; } });
Object.defineProperty(exports, "PG_UNIQUE_VIOLATION", { enumerable: true, get: function () { return pg_errors_util_1.PG_UNIQUE_VIOLATION; } });
var database_url_util_1 = require("./database-url.util");
Object.defineProperty(exports, "databaseNameOf", { enumerable: true, get: function () { return database_url_util_1.databaseNameOf; } });
Object.defineProperty(exports, "redactPassword", { enumerable: true, get: function () { return database_url_util_1.redactPassword; } });
Object.defineProperty(exports, "withDatabase", { enumerable: true, get: function () { return database_url_util_1.withDatabase; } });
var persistence_module_1 = require("./persistence.module");
Object.defineProperty(exports, "PersistenceModule", { enumerable: true, get: function () { return persistence_module_1.PersistenceModule; } });
//# sourceMappingURL=index.js.map