import { slackMessage } from './slack-message.util';

describe('slackMessage', () => {
  it('shows workflow, status, cost, duration, error and a link to the run, escaping tenant text', () => {
    const message = slackMessage(
      {
        event: 'workflow.failed',
        run_id: 'r1',
        workflow: 'leads <b>',
        status: 'budget_exceeded',
        outputs: {},
        total_cost_usd: 1.23456,
        duration_seconds: 125,
        error: 'Budget exceeded: $1.2 >= $1.0',
      },
      'https://sandcastle.example.com/runs/r1',
    );
    const text = JSON.stringify(message);
    expect(message['text']).toBe('Workflow leads <b> budget_exceeded');
    expect(text).toContain('leads &lt;b&gt;');
    expect(text).toContain('$1.2346');
    expect(text).toContain('2 min 5 s');
    expect(text).toContain('Budget exceeded');
    expect(text).toContain('"url":"https://sandcastle.example.com/runs/r1"');
    expect(text).toContain(':money_with_wings:');
  });
});
