// The architecture's import boundaries fail the build: probe files that cross each boundary are
// written into the real source tree (where the lint config applies to them), linted with the
// project's own `eslint`, and removed again.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
  fatal?: boolean;
}

function lintProbe(relativeDir: string, source: string): LintMessage[] {
  const relative = join(relativeDir, `boundary-probe-${process.pid}.ts`);
  const file = join(root, relative);
  writeFileSync(file, source);
  try {
    let output: string;
    try {
      output = execFileSync('npx', ['eslint', '--format', 'json', relative], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (error) {
      // eslint exits 1 when it finds problems; the JSON report is still on stdout.
      output = (error as { stdout: string }).stdout;
    }
    const [report] = JSON.parse(output) as { messages: LintMessage[] }[];
    return report?.messages ?? [];
  } finally {
    rmSync(file, { force: true });
  }
}

const boundaryErrors = (messages: LintMessage[]): string[] =>
  messages
    .filter((m) => m.ruleId === 'sandcastle/boundaries' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);

describe('import boundaries (npm run lint)', () => {
  it('fails when an app imports another app, even through a relative path', () => {
    const errors = boundaryErrors(
      lintProbe(
        'apps/scheduler/src',
        "import * as gateway from '../../gateway/src/app.module';\nexport const probe = gateway;\n",
      ),
    );
    expect(errors).toEqual([expect.stringContaining('apps/scheduler imports apps/gateway')]);
  });

  it('fails when the executor imports persistence, TypeORM or pg', () => {
    const errors = boundaryErrors(
      lintProbe(
        'apps/executor/src',
        [
          "import * as persistence from '@sandcastle/persistence';",
          "import { DataSource } from 'typeorm';",
          "import { Pool } from 'pg';",
          'export const probe = [persistence, DataSource, Pool];',
          '',
        ].join('\n'),
      ),
    );
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toContain('the executor never touches the database');
  });

  it('fails when libs/workflow or libs/contracts do I/O', () => {
    const workflow = boundaryErrors(
      lintProbe(
        'libs/workflow/src',
        [
          "import { readFileSync } from 'node:fs';",
          "import { connect } from '@nats-io/transport-node';",
          "import { createHash } from 'node:crypto';",
          'export const probe = () => [readFileSync, connect, createHash, fetch, process.env];',
          '',
        ].join('\n'),
      ),
    );
    expect(workflow).toEqual([
      expect.stringContaining("'node:fs' does I/O"),
      expect.stringContaining("'@nats-io/transport-node' does I/O"),
      expect.stringContaining("'fetch'"),
      expect.stringContaining("'process'"),
    ]);

    const contracts = boundaryErrors(
      lintProbe(
        'libs/contracts/src',
        "import { request } from 'node:http';\nexport const probe = request;\n",
      ),
    );
    expect(contracts).toEqual([expect.stringContaining("'node:http' does I/O")]);
  });

  it('passes code that respects the boundaries', () => {
    const messages = lintProbe(
      'apps/executor/src',
      "import { RUN_STATUSES } from '@sandcastle/contracts';\nexport const probe = RUN_STATUSES;\n",
    );
    // A parse failure (fatal, no rule id) would hide every boundary: it must not happen either.
    expect(messages.filter((m) => m.fatal === true || m.ruleId?.startsWith('sandcastle'))).toEqual([]);
  });
});
