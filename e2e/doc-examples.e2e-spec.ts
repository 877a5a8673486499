import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fieldMismatches,
  repoExamples,
  transcriptPattern,
  type DocExample,
} from './support/doc-examples.util';
import { E2eStack } from './support/e2e-stack';

// Every curl and CLI example of README.md and docs/*.md, run as written against the five
// services, with the doc's host, ids and keys substituted (SUBSTITUTIONS). How an example is
// written, marked as not runnable, and substituted: docs/contributing.md, "Docs that cannot drift".

const REPO_ROOT = join(__dirname, '..');
const CLI = join(REPO_ROOT, 'tools', 'cli', 'dist', 'main.js');
const ADMIN_API_KEY = `admin-${randomBytes(24).toString('hex')}`;

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an example in `cwd` (a scratch folder: an example that writes a file, `curl -o`, writes it there). */
function sh(command: string, env: Record<string, string>, cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code, stdout, stderr }));
  });
}

const examples = repoExamples(REPO_ROOT);

describe('the examples of README.md and docs/*.md, run against the services', () => {
  let sc: E2eStack;
  let curlHome: string;
  /** Placeholder of the docs → the value in this stack. Order matters: longer first. */
  let substitutions: [RegExp, string][];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    sc = await E2eStack.start({
      env: { ADMIN_API_KEY, API_KEY_SECRET: randomBytes(32).toString('hex') },
    });
    // curl reads $CURL_HOME/.curlrc: the status on the last line, and a bound on every request.
    curlHome = await mkdtemp(join(tmpdir(), 'sc-doc-examples-'));
    await writeFile(join(curlHome, '.curlrc'), 'write-out = "\\n%{http_code}"\nmax-time = 30\n');

    // A finished run for `<run_id>`, and a tenant key for `sc_…`, made as the docs describe.
    const runId = await sc.startRun({
      workflow: 'lead-enrichment',
      input: { target_url: 'https://example.com' },
    });
    await sc.waitForRun(runId);
    const key = await sc.api<{ key: string }>(
      'POST',
      '/api-keys',
      { tenant_id: 'acme', name: 'docs test' },
      { 'x-api-key': ADMIN_API_KEY },
    );
    expect(key.status).toBe(201);
    // A run waiting for a decision at its approval step `go`, for docs/runtimes.md's `$RUN_ID`
    // session (made with the workflow that session starts).
    const waitingRunId = await sc.startRun({
      workflow: 'name: Gate\nsteps:\n  - {id: go, type: approval, message: "Ship it?", timeout: 3600}\n',
    });
    for (let tries = 0; ; tries++) {
      const run = await sc.api<{ status: string }>('GET', `/runs/${waitingRunId}`);
      if (run.body.data.status === 'waiting') break;
      if (tries > 200) throw new Error(`the approval run is ${run.body.data.status}, not waiting`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const gateway = sc.stack.gatewayUrl.replace('http://', '');
    substitutions = [
      [/\bhttp:\/\/localhost:8080\b/g, `http://${gateway}`],
      [/\blocalhost:8080\b/g, gateway],
      [/<run_id>/g, runId],
      [/\$RUN_ID\b/g, waitingRunId],
      [/\bsc_…/g, key.body.data.key],
      [/^(npx )?sandcastle\b/, `node ${CLI}`],
    ];
  });

  afterAll(async () => {
    await sc?.stop();
    if (curlHome) await rm(curlHome, { recursive: true, force: true });
  });

  it('finds the examples (README, the CLI guide)', () => {
    const where = examples.map((example) => example.where.split(':')[0]);
    expect(where).toEqual(expect.arrayContaining(['README.md', 'docs/cli.md']));
    expect(examples.filter((example) => example.kind === 'curl').length).toBeGreaterThanOrEqual(7);
  });

  it('marks every example it does not run with a reason, and keeps them rare', () => {
    const skipped = examples.filter((example) => example.skipReason !== undefined);
    for (const example of skipped) expect(example.skipReason!.length).toBeGreaterThan(10);
    expect(skipped.length).toBeLessThanOrEqual(Math.ceil(examples.length / 5));
  });

  const substitute = (command: string): string => {
    let out = command;
    for (const [pattern, value] of substitutions) out = out.replace(pattern, value);
    const left = /<[a-z_]+>|…/.exec(out);
    if (left) {
      throw new Error(
        `placeholder ${left[0]} has no value: add it to SUBSTITUTIONS in e2e/doc-examples.e2e-spec.ts, ` +
          'or mark the example (docs/contributing.md)',
      );
    }
    return out;
  };

  const runnable = examples.filter((example) => example.skipReason === undefined);
  it.each(
    runnable.map((example): [string, DocExample] => [
      `${example.where} ${example.command.slice(0, 70)}`,
      example,
    ]),
  )('%s', async (_title, example) => {
    const command = substitute(example.command);
    const env = { CURL_HOME: curlHome, ADMIN_API_KEY, SANDCASTLE_URL: sc.stack.gatewayUrl, NO_COLOR: '1' };
    const outcome = await sh(command, env, curlHome);
    const shown = `${example.where}: ${command}\nexit ${outcome.status}\n${outcome.stdout.slice(0, 2000)}\n${outcome.stderr.slice(0, 1000)}`;
    if (example.kind === 'curl') {
      expect({ shown, exit: outcome.status }).toEqual({ shown, exit: 0 });
      const lines = outcome.stdout.trimEnd().split('\n');
      const status = Number(lines.pop());
      const body = lines.join('\n');
      if (example.expectedStatus !== undefined)
        expect({ shown, status }).toEqual({ shown, status: example.expectedStatus });
      else expect({ shown, ok: status >= 200 && status < 300 }).toEqual({ shown, ok: true });
      if (example.expectedJson !== undefined) {
        expect({ shown, mismatches: fieldMismatches(example.expectedJson, JSON.parse(body)) }).toEqual({
          shown,
          mismatches: [],
        });
      } else if (body.trimStart().startsWith('{')) {
        // No fields shown: the answer is still the envelope, without an error.
        expect({ shown, error: (JSON.parse(body) as { error: unknown }).error }).toEqual({
          shown,
          error: null,
        });
      }
    } else {
      expect({ shown, exit: outcome.status }).toEqual({ shown, exit: example.expectedStatus ?? 0 });
      const output = outcome.stdout.split('\n');
      let at = 0;
      for (const line of example.expectedOutput ?? []) {
        const pattern = transcriptPattern(line);
        const found = output.findIndex((actual, index) => index >= at && pattern.test(actual));
        expect({ shown, line, found: found >= 0 }).toEqual({ shown, line, found: true });
        at = found + 1;
      }
    }
  });
});
