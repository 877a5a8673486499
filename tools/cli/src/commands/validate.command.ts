import { parseWorkflowYaml } from '@sandcastle/workflow';
import type { Command } from '../args/command';
import { formatProblems } from '../output/format.util';
import { readUserFile, type CliContext } from './cli-context';

/**
 * `sandcastle validate <file.yaml>`: the gateway's own checks, offline. Prints every problem
 * with its field; exit code 1 when the workflow is invalid.
 */
export async function validateCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'validate' }>,
): Promise<number> {
  const result = parseWorkflowYaml(await readUserFile(ctx, command.file));
  if (result.ok) {
    const { title, steps } = result.definition;
    ctx.out(`${command.file}: valid — ${title} (${steps.length} step${steps.length === 1 ? '' : 's'})`);
    return 0;
  }
  const count = result.problems.length;
  ctx.out(`${command.file}: invalid — ${count} problem${count === 1 ? '' : 's'}`);
  for (const line of formatProblems(result.problems)) ctx.out(line);
  return 1;
}
