import type { RunAcceptedView } from '@sandcastle/contracts';
import type { Command } from '../args/command';
import { formatRunResult } from '../output/run-format.util';
import { readUserFile, type CliContext } from './cli-context';
import { followRun } from './follow-run.util';

/** Exit code when the user stopped following with Ctrl-C (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * `sandcastle run <workflow> [--input '{…}'] [--max-cost n] [--no-follow]`: starts a run of a
 * saved workflow (or of a YAML file, sent inline) and follows it to its end. Exit code 0 only
 * when the run completed.
 */
export async function runCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'run' }>,
): Promise<number> {
  const workflow = /\.ya?ml$/i.test(command.workflow)
    ? await readUserFile(ctx, command.workflow)
    : command.workflow;
  const { data: accepted } = await ctx.api.post<RunAcceptedView>('/workflows/run', {
    workflow,
    input: command.input,
    ...(command.maxCostUsd === null ? {} : { max_cost_usd: command.maxCostUsd }),
  });
  if (!command.follow) {
    ctx.out(`run ${accepted.run_id} ${accepted.status}`);
    return 0;
  }
  const run = await followRun(ctx, accepted.run_id);
  if (!run) {
    ctx.err(`stopped following; the run goes on (sandcastle run-status ${accepted.run_id})`);
    return INTERRUPTED_EXIT_CODE;
  }
  for (const line of formatRunResult(run)) ctx.out(line);
  return run.status === 'completed' ? 0 : 1;
}
