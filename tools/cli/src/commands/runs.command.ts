import type { RunSummaryView, RunView } from '@sandcastle/contracts';
import type { Command } from '../args/command';
import { formatRunDetails, formatRunList } from '../output/run-format.util';
import type { CliContext } from './cli-context';

/** `sandcastle runs [--status s] [--workflow w] [--limit n] [--json]`: newest first. */
export async function runsCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'runs' }>,
): Promise<number> {
  const query = new URLSearchParams();
  if (command.status) query.set('status', command.status);
  if (command.workflow) query.set('workflow', command.workflow);
  if (command.limit !== null) query.set('limit', String(command.limit));
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  const { data, meta } = await ctx.api.get<RunSummaryView[]>(`/runs${suffix}`);
  if (command.json) ctx.out(JSON.stringify(data, null, 2));
  else for (const line of formatRunList(data, meta?.['total'])) ctx.out(line);
  return 0;
}

/** `sandcastle run-status <run> [--json]` (alias `get`). */
export async function runStatusCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'run-status' }>,
): Promise<number> {
  const { data } = await ctx.api.get<RunView>(`/runs/${encodeURIComponent(command.runId)}`);
  if (command.json) ctx.out(JSON.stringify(data, null, 2));
  else for (const line of formatRunDetails(data)) ctx.out(line);
  return 0;
}
