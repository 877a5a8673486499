// Sample data shown only when the gateway cannot be reached and the user asks for it. Every
// page then carries a "demo data" banner and every action is disabled: nothing here is real.
import type {
  ApiKey,
  DeadLetterItem,
  Lineage,
  RunDetail,
  RunSummary,
  Schedule,
  Stats,
  WorkflowDetail,
  WorkflowSummary,
} from '../api/types';

const day = (offset: number, hour = 9) => new Date(Date.UTC(2026, 10, 20 - offset, hour, 0, 0)).toISOString();

const LEAD_YAML = `# Demo workflow (sample data)
name: Lead Enrichment
description: Finds a company and scores it
steps:
  - id: scrape
    prompt: "Find {input.company}"
  - id: enrich
    depends_on: [scrape]
    parallel_over: steps.scrape.output.pages
    prompt: "Summarise {item}"
  - id: score
    depends_on: [enrich]
    model: haiku
    prompt: "Score {steps.enrich.output}"
`;

export const demoWorkflows: WorkflowSummary[] = [
  {
    name: 'lead-enrichment',
    title: 'Lead Enrichment',
    description: 'Finds a company and scores it',
    version: 3,
    steps_count: 3,
    steps: [
      { id: 'scrape', depends_on: [], model: 'sonnet' },
      { id: 'enrich', depends_on: ['scrape'], model: 'sonnet' },
      { id: 'score', depends_on: ['enrich'], model: 'haiku' },
    ],
    updated_at: day(1),
  },
];

export const demoWorkflow: WorkflowDetail = { ...(demoWorkflows[0] as WorkflowSummary), content: LEAD_YAML };

const statuses = ['completed', 'completed', 'failed', 'completed', 'running'];
export const demoRuns: RunSummary[] = statuses.map((status, i) => ({
  run_id: `0000000${i}-demo-4000-8000-000000000000`,
  workflow_name: 'lead-enrichment',
  status,
  total_cost_usd: 0.04 + i * 0.01,
  max_cost_usd: 0.1,
  created_at: day(i),
  started_at: day(i),
  completed_at: status === 'running' ? null : day(i, 10),
  parent_run_id: null,
  schedule_id: null,
}));

export function demoRun(id: string): RunDetail {
  const summary = demoRuns.find((r) => r.run_id === id) ?? demoRuns[0];
  if (!summary) throw new Error('no demo runs');
  const step = (
    step_id: string,
    parallel_index: number | null,
    start: number,
    end: number,
    model: string,
  ) => ({
    step_id,
    parallel_index,
    status: 'completed',
    attempt: 1,
    output: { summary: `sample output of ${step_id}` },
    error: null,
    error_kind: null,
    cost_usd: 0.01,
    input_tokens: 1200,
    output_tokens: 300,
    num_turns: 2,
    duration_seconds: end - start,
    model,
    runtime: 'simulated',
    started_at: new Date(Date.parse(summary.created_at) + start * 1000).toISOString(),
    completed_at: new Date(Date.parse(summary.created_at) + end * 1000).toISOString(),
    restored_from: null,
    output_ref: null,
  });
  return {
    ...summary,
    workflow_version: 3,
    kind: 'original',
    input_data: { company: 'Acme' },
    outputs: {},
    storage_path: 'leads/demo/result.json',
    output_refs: {},
    error: null,
    total_input_tokens: 4800,
    total_output_tokens: 1200,
    duration_seconds: 12,
    root_run_id: summary.run_id,
    replay_from_step: null,
    fork_changes: null,
    scheduled_for: null,
    catch_up: false,
    steps: [
      step('scrape', null, 0, 3, 'sonnet'),
      step('enrich', 0, 3, 7, 'sonnet'),
      step('enrich', 1, 3, 8, 'sonnet'),
      step('score', null, 8, 12, 'haiku'),
    ],
  };
}

export function demoLineage(id: string): Lineage {
  return {
    run_id: id,
    status: 'completed',
    kind: 'original',
    from_step: null,
    total_cost_usd: 0.04,
    created_at: day(0),
    children: [],
  };
}

export const demoStats: Stats = {
  total_runs_today: 12,
  success_rate: 0.917,
  total_cost_today: 0.51,
  avg_duration_seconds: 38.2,
  runs_by_day: Array.from({ length: 30 }, (_, i) => {
    const completed = 5 + ((i * 7) % 9);
    const failed = (i * 3) % 4;
    return { date: day(29 - i).slice(0, 10), completed, failed, total: completed + failed };
  }),
  cost_by_workflow: [
    { workflow: 'lead-enrichment', cost_usd: 3.1, runs: 80 },
    { workflow: 'support-ticket-triage', cost_usd: 1.4, runs: 45 },
  ],
};

export const demoSchedules: Schedule[] = [
  {
    id: 'demo-schedule',
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
    next_run_at: day(-1),
    last_run_at: day(0),
    last_run_id: demoRuns[0]?.run_id ?? '',
    disabled_reason: null,
    created_at: day(5),
    updated_at: day(0),
  },
];

export const demoDeadLetters: DeadLetterItem[] = [
  {
    id: 'demo-dlq',
    run_id: demoRuns[2]?.run_id ?? '',
    workflow_name: 'lead-enrichment',
    step_id: 'score',
    parallel_index: null,
    error: 'agent timed out after 300 s',
    input_data: { company: 'Acme' },
    attempts: 3,
    created_at: day(2),
    resolved_at: null,
    resolved_by: null,
    resolution_reason: null,
    retry_run_id: null,
  },
];

export const demoApiKeys: ApiKey[] = [
  {
    id: 'demo-key',
    key_prefix: 'sc_demo000',
    tenant_id: 'acme',
    name: 'billing service',
    is_active: true,
    max_cost_per_run_usd: 2.5,
    created_at: day(10),
    last_used_at: day(0),
  },
];
