import { ApiClient, apiOptionsFromEnv } from './api/api-client';
import { ApiError, ConnectionError } from './api/api-error';
import { UsageError, type Command } from './args/command';
import { parseCommand } from './args/parse-args.util';
import type { CliContext } from './commands/cli-context';
import { cancelCommand, forkCommand, replayCommand } from './commands/run-control.command';
import { runCommand } from './commands/run.command';
import { runsCommand, runStatusCommand } from './commands/runs.command';
import { validateCommand } from './commands/validate.command';
import { listWorkflowsCommand, pushWorkflowCommand } from './commands/workflows.command';
import { formatApiError } from './output/format.util';
import { USAGE } from './usage';

export const USAGE_EXIT_CODE = 2;

export interface CliDeps {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): Promise<string>;
  signal: AbortSignal;
  fetch?: typeof fetch;
  reconnectDelayMs?: number;
}

async function execute(ctx: CliContext, command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      ctx.out(USAGE);
      return 0;
    case 'run':
      return runCommand(ctx, command);
    case 'runs':
      return runsCommand(ctx, command);
    case 'run-status':
      return runStatusCommand(ctx, command);
    case 'replay':
      return replayCommand(ctx, command);
    case 'fork':
      return forkCommand(ctx, command);
    case 'cancel':
      return cancelCommand(ctx, command);
    case 'workflows-push':
      return pushWorkflowCommand(ctx, command);
    case 'workflows-list':
      return listWorkflowsCommand(ctx, command);
    case 'validate':
      return validateCommand(ctx, command);
  }
}

/**
 * The whole CLI as a function: argv in, exit code out, every line through `out`/`err`. Errors
 * end up here and nowhere else: API errors as `CODE: message` (+ details) with exit code 1,
 * wrong usage with the usage text and exit code 2.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    deps.err(`sandcastle: ${err.message}`);
    deps.err('');
    deps.err(USAGE);
    return USAGE_EXIT_CODE;
  }
  const ctx: CliContext = {
    api: new ApiClient({ ...apiOptionsFromEnv(deps.env), fetch: deps.fetch }),
    out: deps.out,
    err: deps.err,
    readFile: deps.readFile,
    signal: deps.signal,
    reconnectDelayMs: deps.reconnectDelayMs,
  };
  try {
    return await execute(ctx, command);
  } catch (err) {
    if (err instanceof ApiError) for (const line of formatApiError(err)) deps.err(line);
    else if (err instanceof ConnectionError) deps.err(err.message);
    else deps.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
