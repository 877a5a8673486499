/**
 * `GET /dead-letter` item, and the answer of `POST /dead-letter/{id}/resolve` (docs/api.md).
 * Belongs with the other API views in libs/contracts once the dashboard needs it.
 */
export interface DeadLetterItemView {
  id: string;
  run_id: string;
  workflow_name: string;
  step_id: string;
  /** The fan-out item's index; null for a plain step. */
  parallel_index: number | null;
  error: string;
  input_data: Record<string, unknown>;
  attempts: number;
  created_at: string;
  resolved_at: string | null;
  resolved_by: 'retry' | 'manual' | null;
  resolution_reason: string | null;
  retry_run_id: string | null;
}

/** `POST /dead-letter/{id}/retry`. `run_id` is the new run (= `new_run_id`, kept for older clients). */
export interface DeadLetterRetriedView {
  retried: true;
  dlq_item_id: string;
  run_id: string;
  new_run_id: string;
}
