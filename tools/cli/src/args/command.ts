/** A parsed command line: what to do and with which values, checked before any request. */
export type Command =
  | { kind: 'help' }
  | {
      kind: 'run';
      /** A saved workflow's name, or the path of a YAML file (`.yaml`/`.yml`) to run inline. */
      workflow: string;
      input: Record<string, unknown>;
      maxCostUsd: number | null;
      follow: boolean;
    }
  | { kind: 'runs'; status: string | null; workflow: string | null; limit: number | null; json: boolean }
  | { kind: 'run-status'; runId: string; json: boolean }
  | { kind: 'replay'; runId: string; fromStep: string }
  | {
      kind: 'fork';
      runId: string;
      fromStep: string;
      changes: ForkChanges;
      input: Record<string, unknown> | null;
    }
  | { kind: 'cancel'; runId: string }
  | { kind: 'workflows-push'; file: string; name: string | null }
  | { kind: 'workflows-list'; json: boolean }
  | { kind: 'validate'; file: string };

/** `POST /runs/{id}/fork` `changes`, in the API's field names. */
export interface ForkChanges {
  prompt?: string;
  model?: string;
  max_turns?: number;
  timeout?: number;
}

/** The command line is wrong: print the message and the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
