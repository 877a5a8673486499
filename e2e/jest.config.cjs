// End-to-end tests: the five services run as real processes (built output in apps/*/dist) against
// the real PostgreSQL and NATS, driven over HTTP like a user. Each file gets its own database,
// NATS namespace and ports. Build first: `npm run build` (npm test does).
module.exports = {
  ...require('../jest.preset.cjs')(__dirname),
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  testTimeout: 120_000,
};
