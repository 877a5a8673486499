import type { RunView } from '@sandcastle/contracts';
import {
  formatBudgetEvent,
  formatRunDetails,
  formatRunList,
  formatRunResult,
  formatStepEvent,
} from './run-format.util';

const run: RunView = {
  run_id: 'r-1',
  workflow_name: 'lead-enrichment',
  workflow_version: 2,
  status: 'completed',
  kind: 'original',
  input_data: {},
  // As jsonb returns them: shorter keys first.
  outputs: { score: 'Score: 87', scrape: { company_name: 'Acme' } },
  error: null,
  total_cost_usd: 0.036,
  max_cost_usd: 1,
  total_input_tokens: 0,
  total_output_tokens: 0,
  duration_seconds: 3.21,
  created_at: '2026-03-02T10:15:00.000Z',
  started_at: '2026-03-02T10:15:00.500Z',
  completed_at: '2026-03-02T10:15:03.710Z',
  parent_run_id: null,
  root_run_id: 'r-1',
  replay_from_step: null,
  fork_changes: null,
  schedule_id: null,
  scheduled_for: null,
  catch_up: false,
  storage_path: null,
  output_refs: {},
  steps: [
    {
      step_id: 'scrape',
      parallel_index: null,
      status: 'completed',
      attempt: 1,
      output: { company_name: 'Acme' },
      error: null,
      error_kind: null,
      cost_usd: 0.012,
      input_tokens: 0,
      output_tokens: 0,
      num_turns: 1,
      duration_seconds: 1.2,
      model: 'sonnet',
      runtime: 'simulated',
      started_at: null,
      completed_at: null,
      restored_from: null,
      output_ref: null,
    },
    {
      step_id: 'score',
      parallel_index: null,
      status: 'completed',
      attempt: 1,
      output: 'Score: 87',
      error: null,
      error_kind: null,
      cost_usd: 0.024,
      input_tokens: 0,
      output_tokens: 0,
      num_turns: 1,
      duration_seconds: 2,
      model: 'haiku',
      runtime: 'simulated',
      started_at: null,
      completed_at: null,
      restored_from: null,
      output_ref: null,
    },
  ],
};

describe('run formatting', () => {
  it('writes a progress line per step event', () => {
    const base = { step_id: 'scrape', parallel_index: null, attempt: 1 };
    expect(formatStepEvent({ ...base, status: 'running' })).toBe('  ▸ scrape running');
    expect(formatStepEvent({ ...base, status: 'completed', cost_usd: 0.012 })).toBe(
      '  ✓ scrape completed  $0.0120',
    );
    expect(formatStepEvent({ ...base, parallel_index: 2, status: 'failed', attempt: 3, error: 'boom' })).toBe(
      '  ✗ scrape[2] failed (attempt 3): boom',
    );
    expect(
      formatStepEvent({
        ...base,
        status: 'pending',
        error: 'timeout',
        next_attempt_at: '2026-03-02T10:15:05Z',
      }),
    ).toBe('  ↻ scrape attempt 1 failed: timeout; retrying at 2026-03-02 10:15:05Z');
    expect(formatStepEvent({ ...base, status: 'skipped', error: 'no data' })).toBe(
      '  - scrape skipped: no data',
    );
    expect(formatStepEvent({ ...base, status: 'queued', fan_out: true })).toBe(
      '  · scrape (all items) queued',
    );
  });

  it('writes the budget warning', () => {
    expect(formatBudgetEvent({ total_cost_usd: 0.82, max_cost_usd: 1, ratio: 0.82 })).toBe(
      '  ! budget: $0.8200 of $1.0000 spent (82%)',
    );
  });

  it('writes a result with its outputs in the order of the steps', () => {
    expect(formatRunResult(run)).toEqual([
      '✓ run r-1 completed',
      '  duration 3.2s, total cost $0.0360 (budget $1.0000)',
      'outputs:',
      '  scrape:\n    {\n      "company_name": "Acme"\n    }',
      '  score:\n    Score: 87',
    ]);
    expect(formatRunResult({ ...run, status: 'failed', error: 'step enrich failed', outputs: {} })[0]).toBe(
      '✗ run r-1 failed: step enrich failed',
    );
  });

  it('writes an output stored as an object as its size, link and preview', () => {
    const ref = {
      name: 'output.score.a1.json',
      size: 300_002,
      content_type: 'application/json',
      preview: '"xxxx',
      url: '/runs/r-1/artifacts/output.score.a1.json',
    };
    const lines = formatRunResult({
      ...run,
      outputs: { ...run.outputs, score: null },
      output_refs: { score: ref },
    });
    expect(lines[lines.length - 1]).toBe(
      '  score:\n    (stored: 300002 bytes, application/json, GET /runs/r-1/artifacts/output.score.a1.json)\n    "xxxx…',
    );
  });

  it('writes run details with a step table', () => {
    const lines = formatRunDetails({
      ...run,
      parent_run_id: 'r-0',
      kind: 'replay',
      replay_from_step: 'enrich',
    });
    expect(lines.slice(0, 3)).toEqual([
      'run        r-1',
      'workflow   lead-enrichment (v2)',
      'status     completed',
    ]);
    expect(lines).toContain('parent     r-0 (replay from step enrich)');
    expect(lines).toContain('STEP    STATUS     ATTEMPT  COST     DURATION  MODEL');
    expect(lines).toContain('scrape  completed  1        $0.0120  1.2s      sonnet');
  });

  it('lists runs and says when there are more', () => {
    expect(formatRunList([run], 7)).toEqual([
      'RUN  WORKFLOW         STATUS     COST     CREATED',
      'r-1  lead-enrichment  completed  $0.0360  2026-03-02 10:15:00Z',
      '(1 of 7)',
    ]);
    expect(formatRunList([], 0)).toEqual(['no runs']);
  });
});
