import { UsageError } from './command';
import { parseCommand } from './parse-args.util';

const usageError = (argv: string[]): string => {
  try {
    parseCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseCommand', () => {
  it('reads run with its input, budget and follow flag', () => {
    expect(parseCommand(['run', 'lead-enrichment', '--input', '{"target_url":"https://x.test"}'])).toEqual({
      kind: 'run',
      workflow: 'lead-enrichment',
      input: { target_url: 'https://x.test' },
      maxCostUsd: null,
      follow: true,
    });
    expect(parseCommand(['run', 'flow.yaml', '--max-cost', '1.5', '--no-follow'])).toMatchObject({
      workflow: 'flow.yaml',
      input: {},
      maxCostUsd: 1.5,
      follow: false,
    });
    expect(parseCommand(['run', 'w', '--input={"a":1}'])).toMatchObject({ input: { a: 1 } });
  });

  it('refuses input that is not a JSON object and budgets that are not amounts', () => {
    expect(usageError(['run', 'w', '--input', '{oops'])).toMatch(/^--input is not valid JSON/);
    expect(usageError(['run', 'w', '--input', '[1]'])).toMatch(/^--input must be a JSON object/);
    expect(usageError(['run', 'w', '--max-cost=-1'])).toBe("--max-cost must be a number >= 0 (got '-1')");
    expect(usageError(['run', 'w', '--max-cost', '-1'])).toContain(
      "Option '--max-cost' argument is ambiguous",
    );
    expect(usageError(['run', 'w', '--max-cost', 'lots'])).toContain('must be a number');
  });

  it('says what is missing or unexpected', () => {
    expect(usageError(['run'])).toBe('missing <workflow>');
    expect(usageError(['run', 'a', 'b'])).toBe("unexpected argument 'b'");
    expect(usageError(['run', 'a', '--max', '1'])).toContain("Unknown option '--max'");
    expect(usageError(['frobnicate'])).toBe("unknown command 'frobnicate'");
    expect(usageError(['workflows', 'delete'])).toBe("unknown command 'workflows delete' (push, list)");
    expect(usageError(['replay', 'r1'])).toBe('missing --from <step>');
  });

  it('reads runs filters and checks them', () => {
    expect(parseCommand(['runs', '--status', 'failed', '--workflow', 'w', '--limit', '5'])).toEqual({
      kind: 'runs',
      status: 'failed',
      workflow: 'w',
      limit: 5,
      json: false,
    });
    expect(parseCommand(['runs', '--json'])).toMatchObject({ status: null, limit: null, json: true });
    expect(usageError(['runs', '--status', 'done'])).toMatch(/^--status must be one of queued, running/);
    expect(usageError(['runs', '--limit', '0'])).toBe(
      "--limit must be a whole number between 1 and 200 (got '0')",
    );
    expect(usageError(['runs', '--limit', '2.5'])).toContain('whole number');
  });

  it('reads run-status and its alias get', () => {
    expect(parseCommand(['run-status', 'abc'])).toEqual({ kind: 'run-status', runId: 'abc', json: false });
    expect(parseCommand(['get', 'abc', '--json'])).toEqual({ kind: 'run-status', runId: 'abc', json: true });
  });

  it('reads replay, fork with only the changes given, and cancel', () => {
    expect(parseCommand(['replay', 'r1', '--from', 'enrich'])).toEqual({
      kind: 'replay',
      runId: 'r1',
      fromStep: 'enrich',
    });
    expect(
      parseCommand([
        'fork',
        'r1',
        '--from',
        'score',
        '--model',
        'opus',
        '--max-turns',
        '3',
        '--input',
        '{"x":1}',
      ]),
    ).toEqual({
      kind: 'fork',
      runId: 'r1',
      fromStep: 'score',
      changes: { model: 'opus', max_turns: 3 },
      input: { x: 1 },
    });
    expect(
      parseCommand(['fork', 'r1', '--from', 's', '--prompt', 'Be brief', '--timeout', '60']),
    ).toMatchObject({
      changes: { prompt: 'Be brief', timeout: 60 },
      input: null,
    });
    expect(usageError(['fork', 'r1', '--from', 's', '--max-turns', 'many'])).toContain('--max-turns');
    expect(parseCommand(['cancel', 'r1'])).toEqual({ kind: 'cancel', runId: 'r1' });
  });

  it('reads the workflow commands and validate', () => {
    expect(parseCommand(['workflows', 'push', 'a.yaml', '--name', 'my-flow'])).toEqual({
      kind: 'workflows-push',
      file: 'a.yaml',
      name: 'my-flow',
    });
    expect(parseCommand(['workflows', 'list'])).toEqual({ kind: 'workflows-list', json: false });
    expect(parseCommand(['workflows'])).toEqual({ kind: 'workflows-list', json: false });
    expect(parseCommand(['validate', 'a.yaml'])).toEqual({ kind: 'validate', file: 'a.yaml' });
    expect(usageError(['validate'])).toBe('missing <file.yaml>');
  });

  it('shows help for no command, help, or --help anywhere', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h'], ['run', '--help']])
      expect(parseCommand(argv)).toEqual({ kind: 'help' });
  });
});
