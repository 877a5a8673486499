import type {
  ArtifactView,
  DeliveryView,
  ScheduleView,
  RunAcceptedView,
  RunSummaryView,
  RunView,
  WorkflowSummaryView,
  WorkflowView,
  SavedWorkflowView,
} from '@sandcastle/contracts';
import type { ApiKeyView, CreatedApiKeyView, DeactivatedApiKeyView } from '../auth/api-key.views';
import type { DeadLetterItemView, DeadLetterRetriedView } from '../dead-letter/dead-letter.views';
import type {
  CancelRunView,
  ForkAcceptedView,
  LineageNodeView,
  ReplayAcceptedView,
} from '../run-control/run-control.views';
import type { StatsView } from '../stats/stats.view';
import type { ApprovalView } from '../approvals/approval.views';

/**
 * Example answers for the OpenAPI document. Typed with the views the handlers return, so an
 * example that drifts from the real shape fails to compile.
 */
const RUN_ID = '3f6c1c8e-2a7b-4d3e-9a51-0c8f4b7e2d10';
const CHILD_ID = '8d2e4f10-6b3a-4c5d-8e7f-1a2b3c4d5e6f';

const workflowSummary: WorkflowSummaryView = {
  name: 'lead-enrichment',
  title: 'Lead Enrichment',
  description: 'Finds a company and scores it',
  version: 3,
  steps_count: 2,
  steps: [
    { id: 'scrape', depends_on: [], model: 'sonnet' },
    { id: 'score', depends_on: ['scrape'], model: 'haiku' },
  ],
  updated_at: '2026-11-20T09:30:00.000Z',
};

const workflow: WorkflowView = {
  ...workflowSummary,
  content:
    'name: Lead Enrichment\nsteps:\n  - id: scrape\n    prompt: "Find {input.company}"\n  - id: score\n    depends_on: [scrape]\n    model: haiku\n    prompt: "Score {steps.scrape.output}"\n',
};

const savedWorkflow: SavedWorkflowView = {
  ...workflow,
  warnings: [
    {
      field: 'steps[1].max_turns',
      message: "step 'score': max_turns is ignored by the anthropic runtime (one model call per attempt)",
    },
  ],
};

const approval: ApprovalView = {
  run_id: RUN_ID,
  step_id: 'approve_send',
  workflow_name: 'outreach',
  status: 'pending',
  message: 'Send 3 emails to the leads below?',
  data: { recipients: ['a@example.com', 'b@example.com', 'c@example.com'] },
  allow_edit: true,
  on_timeout: 'reject',
  requested_at: '2026-11-20T09:31:05.000Z',
  expires_at: '2026-11-20T10:31:05.000Z',
  decided_at: null,
  decided_by: null,
  comment: null,
  edited_output: null,
};

const approvalDecided: ApprovalView = {
  ...approval,
  status: 'approved',
  decided_at: '2026-11-20T09:40:00.000Z',
  decided_by: 'api_key:9b2f6c1e-4d3a-4e8b-a1f0-6c5d4b3a2e10',
  comment: 'Checked the list, go ahead',
  edited_output: { recipients: ['a@example.com', 'b@example.com'] },
};

const runSummary: RunSummaryView = {
  run_id: RUN_ID,
  workflow_name: 'lead-enrichment',
  status: 'completed',
  total_cost_usd: 0.042,
  max_cost_usd: 1,
  created_at: '2026-11-20T09:31:00.000Z',
  started_at: '2026-11-20T09:31:00.120Z',
  completed_at: '2026-11-20T09:31:42.500Z',
  parent_run_id: null,
  schedule_id: null,
};

const run: RunView = {
  ...runSummary,
  workflow_version: 3,
  kind: 'original',
  input_data: { company: 'Acme' },
  outputs: { scrape: { domain: 'acme.test' }, score: { score: 87 } },
  error: null,
  total_input_tokens: 5200,
  total_output_tokens: 830,
  duration_seconds: 42.38,
  root_run_id: RUN_ID,
  replay_from_step: null,
  fork_changes: null,
  scheduled_for: null,
  catch_up: false,
  storage_path: 'leads/9f0c6a1e/result.json',
  output_refs: {},
  steps: [
    {
      step_id: 'scrape',
      parallel_index: null,
      status: 'completed',
      attempt: 1,
      output: { domain: 'acme.test' },
      error: null,
      error_kind: null,
      cost_usd: 0.03,
      input_tokens: 4000,
      output_tokens: 600,
      num_turns: 3,
      duration_seconds: 30.1,
      model: 'sonnet',
      runtime: 'sandstorm',
      started_at: '2026-11-20T09:31:00.200Z',
      completed_at: '2026-11-20T09:31:30.300Z',
      restored_from: null,
      output_ref: null,
    },
  ],
};

const artifact: ArtifactView = {
  name: 'output.enrich.a1.json',
  kind: 'output',
  path: `runs/${RUN_ID}/output.enrich.a1.json`,
  size: 5242880,
  content_type: 'application/json',
  step_id: 'enrich',
  parallel_index: null,
  created_at: '2026-11-20T09:31:30.300Z',
  url: `/runs/${RUN_ID}/artifacts/output.enrich.a1.json`,
};

const deadLetterItem: DeadLetterItemView = {
  id: '5b1d2c3e-4f50-4a6b-9c7d-8e9f0a1b2c3d',
  run_id: RUN_ID,
  workflow_name: 'lead-enrichment',
  step_id: 'score',
  parallel_index: null,
  error: 'agent timed out after 300 s',
  input_data: { company: 'Acme' },
  attempts: 3,
  created_at: '2026-11-20T09:40:00.000Z',
  resolved_at: null,
  resolved_by: null,
  resolution_reason: null,
  retry_run_id: null,
};

const apiKey: ApiKeyView = {
  id: '0e7c2a4b-1d3f-4e5a-8b6c-7d8e9f0a1b2c',
  key_prefix: 'sc_Xb3kP9q',
  tenant_id: 'acme',
  name: 'billing service',
  is_active: true,
  max_cost_per_run_usd: 2.5,
  created_at: '2026-11-20T08:00:00.000Z',
  last_used_at: '2026-11-20T09:31:00.000Z',
};

const createdApiKey: CreatedApiKeyView = {
  id: apiKey.id,
  key: 'sc_Xb3kP9qL2mN8vR4tY7wZ1aC5dF6gH0jK3lM9nP2qR5s',
  key_prefix: apiKey.key_prefix,
  tenant_id: 'acme',
  name: 'billing service',
  max_cost_per_run_usd: 2.5,
  created_at: apiKey.created_at,
};

const lineage: LineageNodeView = {
  run_id: RUN_ID,
  status: 'completed',
  kind: 'original',
  from_step: null,
  total_cost_usd: 0.042,
  created_at: '2026-11-20T09:31:00.000Z',
  children: [
    {
      run_id: CHILD_ID,
      status: 'completed',
      kind: 'fork',
      from_step: 'score',
      total_cost_usd: 0.004,
      created_at: '2026-11-20T10:00:00.000Z',
      children: [],
    },
  ],
};

const stats: StatsView = {
  total_runs_today: 12,
  success_rate: 0.917,
  total_cost_today: 0.51,
  avg_duration_seconds: 38.2,
  runs_by_day: [{ date: '2026-11-20', completed: 11, failed: 1, total: 12 }],
  cost_by_workflow: [{ workflow: 'lead-enrichment', cost_usd: 0.51, runs: 12 }],
};

const runAccepted: RunAcceptedView = { run_id: RUN_ID, status: 'queued' };
const cancelled: CancelRunView = { run_id: RUN_ID, status: 'cancelled' };
const replayAccepted: ReplayAcceptedView = {
  run_id: CHILD_ID,
  new_run_id: CHILD_ID,
  parent_run_id: RUN_ID,
  replay_from_step: 'score',
  status: 'queued',
};
const forkAccepted: ForkAcceptedView = {
  run_id: CHILD_ID,
  new_run_id: CHILD_ID,
  parent_run_id: RUN_ID,
  fork_from_step: 'score',
  changes: { model: 'opus' },
  status: 'queued',
};
const retried: DeadLetterRetriedView = {
  retried: true,
  dlq_item_id: deadLetterItem.id,
  run_id: CHILD_ID,
  new_run_id: CHILD_ID,
};
const deactivated: DeactivatedApiKeyView = { deactivated: true, id: apiKey.id };

const schedule: ScheduleView = {
  id: '7d1e0f5a-3c2b-4a19-8e6d-5b4c3a291f08',
  workflow_name: 'lead-enrichment',
  cron_expression: '0 */6 * * *',
  timezone: 'Europe/Berlin',
  description: 'On the hour, every 6 hours',
  input_data: { company: 'Acme' },
  enabled: true,
  overlap: 'allow',
  max_cost_usd: 2,
  callback_url: 'https://example.com/hooks/sandcastle',
  notify: { slack: null },
  next_run_at: '2026-11-20T12:00:00.000Z',
  last_run_at: '2026-11-20T06:00:00.210Z',
  last_run_id: RUN_ID,
  disabled_reason: null,
  created_at: '2026-11-19T09:00:00.000Z',
  updated_at: '2026-11-20T06:00:00.210Z',
};

const delivery: DeliveryView = {
  id: '0b7f6a52-9d4e-4c1b-8f3a-2e5d7c9a1b64',
  run_id: RUN_ID,
  target: 'run_callback',
  format: 'webhook',
  url: 'https://example.com/hooks/sandcastle',
  event: 'workflow.completed',
  status: 'delivered',
  attempts: 2,
  next_attempt_at: null,
  give_up_at: '2026-11-20T10:31:42.600Z',
  last_status_code: 200,
  last_error: null,
  delivered_at: '2026-11-20T09:31:48.100Z',
  created_at: '2026-11-20T09:31:42.600Z',
  attempt_log: [
    {
      attempt: 1,
      started_at: '2026-11-20T09:31:42.700Z',
      status_code: 503,
      latency_ms: 41,
      error: 'HTTP 503',
    },
    { attempt: 2, started_at: '2026-11-20T09:31:48.050Z', status_code: 200, latency_ms: 38, error: null },
  ],
};

export const EXAMPLES = {
  artifact,
  schedule,
  delivery,
  workflowSummary,
  workflow,
  savedWorkflow,
  approval,
  approvalDecided,
  workflowDeleted: { deleted: true, name: 'lead-enrichment' },
  runSummary,
  run,
  runAccepted,
  runIdempotent: { run_id: RUN_ID, status: 'running', idempotent: true } satisfies RunAcceptedView,
  cancelled,
  cancelRequested: { run_id: RUN_ID, status: 'running', cancel_requested: true } satisfies CancelRunView,
  replayAccepted,
  forkAccepted,
  lineage,
  deadLetterItem,
  retried,
  apiKey,
  createdApiKey,
  deactivated,
  stats,
  runStream:
    `id: 41\nevent: status\ndata: {"run_id":"${RUN_ID}","status":"running"}\n\n` +
    `id: 42\nevent: step\ndata: {"step_id":"scrape","parallel_index":null,"status":"completed","attempt":1,"cost_usd":0.03}\n\n` +
    `id: 43\nevent: result\ndata: {"run_id":"${RUN_ID}","status":"completed"}\n\n`,
};
