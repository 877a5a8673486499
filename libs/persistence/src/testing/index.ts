export {
  createTestDatabase,
  DEFAULT_TEST_DATABASE_ADMIN_URL,
  TEST_DATABASE_PREFIX,
  type TestDatabase,
} from './test-database';
