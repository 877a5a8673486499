/** One attempt of one step (or fan-out item) of a run, as `GET /runs/{id}/attempts` shows it. */
export interface AttemptView {
  step_id: string;
  /** The fan-out item, null for a plain step. */
  parallel_index: number | null;
  attempt: number;
  outcome: 'completed' | 'failed';
  output: unknown;
  error: string | null;
  error_kind: string | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  num_turns: number;
  model: string | null;
  runtime: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export const ATTEMPT_EXAMPLE: AttemptView = {
  step_id: 'score',
  parallel_index: null,
  attempt: 1,
  outcome: 'failed',
  output: null,
  error: 'agent timed out after 300 s',
  error_kind: 'timeout',
  cost_usd: 0.004,
  input_tokens: 1200,
  output_tokens: 0,
  num_turns: 2,
  model: 'sonnet',
  runtime: 'sandstorm',
  started_at: '2026-11-20T09:31:00.200Z',
  finished_at: '2026-11-20T09:36:00.200Z',
};
