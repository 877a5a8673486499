import { deliveryTargets, type TargetSources } from './delivery-targets.util';

const none: TargetSources = {
  status: 'completed',
  runCallbackUrl: null,
  scheduleCallbackUrl: null,
  onCompleteWebhook: null,
  onFailureWebhook: null,
  scheduleSlack: null,
  workflowSlack: null,
};

describe('deliveryTargets', () => {
  it('calls on_complete.webhook on completion even when the run has a callback_url', () => {
    const targets = deliveryTargets({
      ...none,
      runCallbackUrl: 'https://a.example/cb',
      onCompleteWebhook: 'https://b.example/done',
      onFailureWebhook: 'https://c.example/failed',
    });
    expect(targets).toEqual([
      { target: 'run_callback', format: 'webhook', url: 'https://a.example/cb' },
      { target: 'workflow_webhook', format: 'webhook', url: 'https://b.example/done' },
    ]);
  });

  it.each(['failed', 'cancelled', 'budget_exceeded'] as const)(
    'calls on_failure.webhook when the run is %s',
    (status) => {
      const targets = deliveryTargets({
        ...none,
        status,
        onCompleteWebhook: 'https://b.example/done',
        onFailureWebhook: 'https://c.example/failed',
      });
      expect(targets).toEqual([
        { target: 'workflow_webhook', format: 'webhook', url: 'https://c.example/failed' },
      ]);
    },
  );

  it("adds the schedule's callback and both Slack URLs, and calls a repeated URL once", () => {
    const targets = deliveryTargets({
      ...none,
      runCallbackUrl: 'https://same.example/x',
      scheduleCallbackUrl: 'https://same.example/x',
      onCompleteWebhook: 'https://other.example/y',
      scheduleSlack: 'https://hooks.slack.com/services/A',
      workflowSlack: 'https://hooks.slack.com/services/A',
    });
    expect(targets.map((t) => t.target)).toEqual(['run_callback', 'workflow_webhook', 'schedule_slack']);
  });

  it('sends nothing when nobody asked', () => {
    expect(deliveryTargets(none)).toEqual([]);
  });
});
