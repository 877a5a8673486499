/**
 * Creates the database `url` points at if it does not exist yet, connecting to the `postgres`
 * maintenance database of the same server with the same credentials. Returns true when it
 * created the database. Safe to race: losing to another creator counts as "already there".
 */
export declare function ensureDatabase(url: string): Promise<boolean>;
