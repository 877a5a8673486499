import type { Command } from '../args/command';
import type { CliContext } from './cli-context';

interface NewRunView {
  run_id: string;
  status: string;
}

const runPath = (runId: string, action: string) => `/runs/${encodeURIComponent(runId)}/${action}`;

/** `sandcastle replay <run> --from <step>`. */
export async function replayCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'replay' }>,
): Promise<number> {
  const { data } = await ctx.api.post<NewRunView>(runPath(command.runId, 'replay'), {
    from_step: command.fromStep,
  });
  ctx.out(`run ${data.run_id} ${data.status} (replay of ${command.runId} from ${command.fromStep})`);
  return 0;
}

/** `sandcastle fork <run> --from <step> [--prompt …] [--model …] [--max-turns n] [--timeout s] [--input '{…}']`. */
export async function forkCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'fork' }>,
): Promise<number> {
  const { data } = await ctx.api.post<NewRunView>(runPath(command.runId, 'fork'), {
    from_step: command.fromStep,
    changes: command.changes,
    ...(command.input === null ? {} : { input: command.input }),
  });
  ctx.out(`run ${data.run_id} ${data.status} (fork of ${command.runId} from ${command.fromStep})`);
  return 0;
}

/** `sandcastle cancel <run>`. */
export async function cancelCommand(
  ctx: CliContext,
  command: Extract<Command, { kind: 'cancel' }>,
): Promise<number> {
  const { data } = await ctx.api.post<{ run_id: string; status: string }>(runPath(command.runId, 'cancel'));
  ctx.out(`run ${data.run_id} ${data.status}`);
  return 0;
}
