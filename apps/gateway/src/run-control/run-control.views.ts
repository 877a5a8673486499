import type { RunKind, RunStatus } from '@sandcastle/contracts';

/**
 * Answers of the run control routes (docs/api.md, "Run control"). They belong with the other API
 * views in libs/contracts once the dashboard needs them.
 */

/** `POST /runs/{id}/cancel`: 200 when cancelled; 202 with `cancel_requested` while it takes effect. */
export interface CancelRunView {
  run_id: string;
  status: RunStatus;
  cancel_requested?: true;
}

/**
 * `POST /runs/{id}/replay` (202). `run_id` is the new run, as in every answer that starts a run
 * (`POST /workflows/run`); `new_run_id` is the same id, kept for clients written before.
 */
export interface ReplayAcceptedView {
  run_id: string;
  new_run_id: string;
  parent_run_id: string;
  replay_from_step: string;
  status: 'queued';
}

/** `POST /runs/{id}/fork` (202). `changes` as the client sent them; `run_id` = `new_run_id`, as for replay. */
export interface ForkAcceptedView {
  run_id: string;
  new_run_id: string;
  parent_run_id: string;
  fork_from_step: string;
  changes: Record<string, unknown>;
  status: 'queued';
}

/** `GET /runs/{id}/lineage`: one run of the tree, its children oldest first. */
export interface LineageNodeView {
  run_id: string;
  status: RunStatus;
  kind: RunKind;
  /** The step a replay or fork started again from; null for an original run. */
  from_step: string | null;
  total_cost_usd: number;
  created_at: string;
  children: LineageNodeView[];
}
