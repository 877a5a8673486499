/**
 * Advisory lock key that serialises migration runs on one database. Arbitrary but fixed: every
 * version of every app must use the same value. Advisory locks are scoped to the database, so
 * runs against different databases on one server do not wait for each other.
 */
export declare const MIGRATION_LOCK_KEY = "6431784935129051";
/**
 * Applies every pending migration to the database at `url` and returns the names applied (empty
 * when the schema was already current). Several processes may call it at once (e.g. replicas
 * booting together): each waits for a session-level advisory lock, so one applies the migrations
 * and the others then find nothing pending.
 */
export declare function runMigrations(url: string): Promise<string[]>;
