import { render, screen } from '@testing-library/react';
import { BudgetBar } from './BudgetBar';
import { OutputView } from './OutputView';
import { inputProblem } from './RunDialog';
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

  it('shows an offloaded output as its preview and a link, and never links a javascript: URL', () => {
    const { container, rerender } = render(
      <OutputView
        value={{ ref: { url: 'https://files.test/o.json', preview: '{"big": tr', size_bytes: 5000000 } }}
      />,
    );
    expect(container.querySelector('pre')?.textContent).toBe('{"big": tr');
    expect(screen.getByRole('link', { name: 'open full output' }).getAttribute('href')).toBe(
      'https://files.test/o.json',
    );
    rerender(<OutputView value={{ url: 'javascript:alert(1)', preview: 'x' }} />);
    expect(screen.queryByRole('link')).toBeNull();
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
