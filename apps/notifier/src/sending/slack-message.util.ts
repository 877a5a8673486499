import type { StoredWebhookPayload } from './webhook-body.util';

const STATUS_ICON: Record<string, string> = {
  completed: ':white_check_mark:',
  failed: ':x:',
  cancelled: ':no_entry_sign:',
  budget_exceeded: ':money_with_wings:',
};

/** Slack's mrkdwn treats these three characters specially; anything tenant-made is escaped. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} min ${Math.round(seconds % 60)} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * A Slack incoming-webhook message in block format: what ended, how, what it cost, how long it
 * took, a link to the run, and the error (shortened) when there is one. `text` is the
 * notification fallback Slack shows where blocks are not rendered.
 */
export function slackMessage(payload: StoredWebhookPayload, runUrl: string): Record<string, unknown> {
  if (payload.approval !== undefined) return approvalMessage(payload, payload.approval, runUrl);
  const workflow = escapeSlack(payload.workflow);
  const icon = STATUS_ICON[payload.status] ?? ':information_source:';
  const summary = `${icon} Workflow *${workflow}* ${payload.status.replace('_', ' ')}`;
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: summary } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Workflow*\n${workflow}` },
        { type: 'mrkdwn', text: `*Status*\n${payload.status}` },
        { type: 'mrkdwn', text: `*Cost*\n$${payload.total_cost_usd.toFixed(4)}` },
        { type: 'mrkdwn', text: `*Duration*\n${formatDuration(payload.duration_seconds)}` },
      ],
    },
  ];
  if (payload.error) {
    const error = escapeSlack(payload.error.length > 500 ? `${payload.error.slice(0, 500)}…` : payload.error);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Error*\n\`\`\`${error}\`\`\`` } });
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the run' }, url: runUrl }],
  });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Run \`${payload.run_id}\`` }] });
  return { text: `Workflow ${payload.workflow} ${payload.status}`, blocks };
}

/** An approval request: what is asked, by when, and where to decide. */
function approvalMessage(
  payload: StoredWebhookPayload,
  approval: NonNullable<StoredWebhookPayload['approval']>,
  runUrl: string,
): Record<string, unknown> {
  const workflow = escapeSlack(payload.workflow);
  const message = escapeSlack(
    approval.message.length > 500 ? `${approval.message.slice(0, 500)}…` : approval.message,
  );
  const until =
    approval.expires_at === null
      ? 'no timeout'
      : `until ${approval.expires_at} (then ${approval.on_timeout})`;
  return {
    text: `Workflow ${payload.workflow} waits for approval`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:raised_hand: Workflow *${workflow}* waits for approval at \`${escapeSlack(approval.step_id)}\``,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `${message}\n_${escapeSlack(until)}_` } },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the run' }, url: runUrl }],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Run \`${payload.run_id}\`` }] },
    ],
  };
}
