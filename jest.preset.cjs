// Shared Jest setup. NestJS 12 is ESM-only, so sources are compiled with swc to CommonJS and
// the @nestjs packages (and their ESM deps) are transformed too. Libraries resolve to their
// TypeScript sources, so tests never depend on a previous build.
const path = require('node:path');

const root = __dirname;
const libs = [
  'contracts',
  'workflow',
  'persistence',
  'messaging',
  'storage',
  'observability',
  'config',
  'outbound',
];

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// `npm run test:unit` sets TEST_KIND=unit (only *.spec.ts: no PostgreSQL or NATS needed),
// `npm run test:int` sets TEST_KIND=int (only *.int-spec.ts); unset runs both.
const TEST_MATCH = {
  unit: ['<rootDir>/src/**/*.spec.ts'],
  int: ['<rootDir>/src/**/*.int-spec.ts'],
  all: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
};

function testMatchFor(kind = 'all') {
  const match = TEST_MATCH[kind];
  if (!match) throw new Error(`TEST_KIND must be unit, int or unset (got '${kind}')`);
  return match;
}

module.exports = function preset(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    // Sources first: a stray compiled .js beside a .ts must never shadow it.
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
    testMatch: testMatchFor(process.env.TEST_KIND || undefined),
    transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
    transformIgnorePatterns: [
      '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@tokenizer|@borewit|load-esm|uid)/)',
    ],
    moduleNameMapper: {
      '^@sandcastle/persistence/testing$': path.join(
        root,
        'libs',
        'persistence',
        'src',
        'testing',
        'index.ts',
      ),
      ...Object.fromEntries(
        libs.map((lib) => [`^@sandcastle/${lib}$`, path.join(root, 'libs', lib, 'src', 'index.ts')]),
      ),
    },
    testTimeout: 30000,
    ...overrides,
  };
};
module.exports.swc = swc;
