import type { CheckpointStateView, CheckpointView } from './checkpoint.views';

/**
 * Examples of the checkpoint answers for the OpenAPI document (kept here rather than in
 * openapi/examples.ts, which belongs to the shared routes). Typed with the views, so an example
 * that drifts from the real shape fails to compile.
 */
const RUN_ID = '3f6c1c8e-2a7b-4d3e-9a51-0c8f4b7e2d10';

export const CHECKPOINT_EXAMPLES = {
  checkpoint: {
    seq: 2,
    step_id: 'score',
    parallel_index: null,
    status: 'completed',
    cost_usd: 0.012,
    total_cost_usd: 0.042,
    completed_at: '2026-11-20T09:31:42.400Z',
    restored_from: null,
  } satisfies CheckpointView,
  checkpointState: {
    run_id: RUN_ID,
    seq: 2,
    step_id: 'score',
    parallel_index: null,
    outputs: { scrape: { domain: 'acme.test' }, score: { score: 87 } },
    costs: { scrape: 0.03, score: 0.012 },
    total_cost_usd: 0.042,
  } satisfies CheckpointStateView,
};
