import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const REDOCLY = path.join(REPO_ROOT, 'node_modules', '.bin', 'redocly');

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

/**
 * The document at /docs-json passes a standard linter: Redocly's `recommended` rules, with no
 * errors. Warnings are printed, not failed on (the rules that warn are style choices).
 */
describe('OpenAPI document, linted with Redocly (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let file: string;

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwlint',
      env: { DB_POOL_SIZE: '2', AUTH_REQUIRED: 'true', API_KEY_SECRET: randomBytes(32).toString('hex') },
    });
    const response = await fetch(`${gw.url}/docs-json`);
    expect(response.status).toBe(200);
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sc-openapi-')), 'openapi.json');
    fs.writeFileSync(file, await response.text());
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('has no errors under the recommended rules', async () => {
    const result = await run(
      REDOCLY,
      ['lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'],
      {
        cwd: path.dirname(file),
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const report = JSON.parse(result.stdout) as { problems: LintProblem[] };
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`);
    expect(errors).toEqual([]);
  }, 60000);
});
