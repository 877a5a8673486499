import { render, screen } from '@testing-library/react';
import type { Attempt, StepView } from '../api/types';
import { BudgetBar } from './BudgetBar';
import { OutputView } from './OutputView';
import { inputProblem } from './RunDialog';
import { timelineEntries } from './Timeline';
import { StatusBadge } from './ui';

describe('BudgetBar', () => {
  it('warns from 80 % and says when the budget is exceeded', () => {
    const { rerender } = render(<BudgetBar spent={0.5} budget={1} />);
    expect(screen.getByTestId('budget-state').textContent).toBe('50 %');
    rerender(<BudgetBar spent={0.8} budget={1} />);
    expect(screen.getByTestId('budget-state').textContent).toBe('over 80 %');
    rerender(<BudgetBar spent={1.2} budget={1} />);
    expect(screen.getByTestId('budget-state').textContent).toBe('budget exceeded');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    rerender(<BudgetBar spent={0.3} budget={null} />);
    expect(screen.getByText(/no budget set/)).toBeTruthy();
  });
});

describe('OutputView', () => {
  it('shows text as text and JSON pretty-printed', () => {
    const { container, rerender } = render(<OutputView value={'plain <b>text</b>'} />);
    expect(container.querySelector('pre')?.textContent).toBe('plain <b>text</b>');
    rerender(<OutputView value={{ score: 87, tags: ['a'] }} />);
    expect(container.querySelector('pre')?.textContent).toBe(
      JSON.stringify({ score: 87, tags: ['a'] }, null, 2),
    );
  });

  it('shows a stored output (output_ref) as its preview, size and a download, never a foreign URL', () => {
    const ref = {
      name: 'output.write.a1.json',
      size: 5_000_000,
      content_type: 'application/json',
      preview: '{"big": tr',
      url: '/runs/r1/artifacts/output.write.a1.json',
    };
    const { container, rerender } = render(<OutputView value={null} outputRef={ref} />);
    expect(container.querySelector('pre')?.textContent).toBe('{"big": tr');
    expect(container.textContent).toContain('5,000,000 bytes');
    expect(screen.getByRole('button', { name: 'download full output' })).toBeTruthy();
    rerender(<OutputView value={null} outputRef={{ ...ref, url: 'https://elsewhere.test/x' }} />);
    expect(screen.queryByRole('button', { name: 'download full output' })).toBeNull();
    expect(container.textContent).toContain('https://elsewhere.test/x');
  });
});

describe('run input', () => {
  it('must be a JSON object', () => {
    expect(inputProblem('{"a": 1}')).toBeUndefined();
    expect(inputProblem('')).toBeUndefined();
    expect(inputProblem('[1]')).toBe('the input must be a JSON object');
    expect(inputProblem('{"a": ')).toBeDefined();
  });
});

describe('StatusBadge', () => {
  it('shows a status it has never heard of', () => {
    render(<StatusBadge status="waiting_for_approval" />);
    expect(screen.getByText('waiting for approval')).toBeTruthy();
  });
});

describe('timelineEntries', () => {
  it('shows every finished attempt plus the attempts still running, once each', () => {
    const row = (step_id: string, attempt: number, status: string) =>
      ({
        step_id,
        parallel_index: null,
        attempt,
        status,
        started_at: 'x',
        completed_at: null,
        duration_seconds: null,
      }) as unknown as StepView;
    const past = (step_id: string, attempt: number, outcome: string) =>
      ({
        step_id,
        parallel_index: null,
        attempt,
        outcome,
        started_at: 'x',
        finished_at: 'y',
      }) as unknown as Attempt;
    const entries = timelineEntries(
      [row('a', 2, 'completed'), row('b', 1, 'running')],
      [past('a', 1, 'failed'), past('a', 2, 'completed')],
    );
    expect(entries.map((e) => `${e.step_id}#${e.attempt}:${e.status}`)).toEqual([
      'a#1:failed',
      'a#2:completed',
      'b#1:running',
    ]);
  });
});
