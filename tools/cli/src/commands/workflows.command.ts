import type { WorkflowSummaryView, WorkflowView } from '@sandcastle/contracts';
import type { Command } from '../args/command';
import { formatWorkflowList } from '../output/run-format.util';
import { readUserFile, type CliContext } from './cli-context';

/** `sandcastle workflows push <file.yaml> [--name n]`: saves a new version when it changed. */
export async function pushWorkflowCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'workflows-push' }>,
): Promise<number> {
  const content = await readUserFile(ctx, command.file);
  const { status, data } = await ctx.api.post<WorkflowView>('/workflows', {
    content,
    ...(command.name === null ? {} : { name: command.name }),
  });
  const what = status === 201 ? 'saved' : 'unchanged';
  ctx.out(`${data.name} ${what}: version ${data.version}, ${data.steps_count} steps`);
  return 0;
}

/** `sandcastle workflows list [--json]`. */
export async function listWorkflowsCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'workflows-list' }>,
): Promise<number> {
  const { data } = await ctx.api.get<WorkflowSummaryView[]>('/workflows');
  if (command.json) ctx.out(JSON.stringify(data, null, 2));
  else for (const line of formatWorkflowList(data)) ctx.out(line);
  return 0;
}
