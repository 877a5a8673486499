import { stepStatuses } from './step-status';
import type { StepView } from '../api/types';

const entry = (step_id: string, status: string, attempt = 1, parallel_index: number | null = null) =>
  ({ step_id, status, attempt, parallel_index }) as unknown as StepView;

describe('stepStatuses', () => {
  it('shows a fan-out step running while any item runs, failed when an item failed for good', () => {
    expect(stepStatuses([entry('a', 'completed', 1, 0), entry('a', 'running', 1, 1)])).toEqual({
      a: 'running',
    });
    expect(stepStatuses([entry('a', 'completed', 1, 0), entry('a', 'failed', 2, 1)])).toEqual({
      a: 'failed',
    });
  });

  it('lets a later successful attempt replace an earlier failure', () => {
    expect(stepStatuses([entry('b', 'failed', 1), entry('b', 'completed', 2)])).toEqual({ b: 'completed' });
  });

  it('keeps a status it does not know (a new state such as waiting)', () => {
    expect(stepStatuses([entry('c', 'waiting')])).toEqual({ c: 'waiting' });
  });
});
