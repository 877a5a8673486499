import { createDataSource, DEFAULT_DATABASE_URL } from './create-data-source';

/**
 * Entry point of the TypeORM CLI, which wants a file whose only DataSource export is the one to
 * use. Run it on the compiled JavaScript:
 *   npx typeorm migration:run -d libs/persistence/dist/data-source.js
 * Apps call runMigrations() instead, which also serialises concurrent callers.
 */
export default createDataSource(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, {
  applicationName: 'sandcastle-migration-cli',
});
