import type { ApiClient } from '../api/api-client';

/** What a command may use: the API, the terminal, files, and the Ctrl-C signal. */
export interface CliContext {
  api: ApiClient;
  /** A line for stdout (results). */
  out(line: string): void;
  /** A line for stderr (errors, notices). */
  err(line: string): void;
  readFile(path: string): Promise<string>;
  /** Aborts on Ctrl-C: a followed run stops being followed (the run itself goes on). */
  signal: AbortSignal;
  /** Wait before resuming a dropped stream (default 1 s). */
  reconnectDelayMs?: number;
}

/** Reads a file a command names; a missing file is the user's mistake, said plainly. */
export async function readUserFile(ctx: CliContext, path: string): Promise<string> {
  try {
    return await ctx.readFile(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new Error(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
