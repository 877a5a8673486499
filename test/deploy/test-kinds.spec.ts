// `npm run test:unit` runs only *.spec.ts files and promises that they need nothing running.
// A unit test that reaches for a database, a broker or the service stack belongs in an
// *.int-spec.ts file: this check fails when one does not.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

/** Imports that only make sense with PostgreSQL, NATS or the five services running. */
const INTEGRATION_FIXTURES = [
  /persistence\/src\/testing|@sandcastle\/persistence\/testing/,
  /messaging\/src\/testing/,
  /engine\/testing\/engine-fixture/,
  /e2e\/support\//,
  /testing\/(gateway-harness|test-backend|executor-test-app)/,
  /from '@nats-io\/transport-node'/,
  /from 'pg'/,
];

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return /(?<!int-)\.spec\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('test kinds', () => {
  const unitSpecs = ['apps', 'libs', 'tools'].flatMap((top) => specFiles(join(root, top)));

  it('finds the unit tests', () => {
    expect(unitSpecs.length).toBeGreaterThan(50);
  });

  it('keeps every unit test (*.spec.ts) free of database, broker and stack fixtures', () => {
    const offenders = unitSpecs.flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      const hit = INTEGRATION_FIXTURES.find((pattern) => pattern.test(source));
      return hit ? [`${relative(root, file)} (${hit.source})`] : [];
    });
    expect(offenders).toEqual([]);
  });
});
