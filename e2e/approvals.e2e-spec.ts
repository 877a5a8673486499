import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunView } from '@sandcastle/contracts';
import { E2eStack, yaml } from './support/e2e-stack';

interface Approval {
  run_id: string;
  step_id: string;
  status: string;
  message: string;
  data: unknown;
  decided_by: string | null;
  comment: string | null;
  edited_output: unknown;
}

/**
 * Human approval through all five services: the run waits (status `waiting`) with nothing
 * dispatched, survives an orchestrator restart, resumes from its pinned definition once decided
 * (exactly once: a concurrent second decision is a 409), and times out through the reconciler.
 */
const SECRET = 'approval-webhook-secret-0123456789abcdef';

describe('approval steps end to end', () => {
  let sc: E2eStack;
  let receiver: Server;
  let callbackUrl: string;
  const received: { event: string; signature: string; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          event: String(req.headers['x-sandcastle-event']),
          signature: String(req.headers['x-sandcastle-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    sc = await E2eStack.start({
      env: { RECONCILE_INTERVAL_MS: 200, WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
  });

  afterAll(async () => {
    await sc?.stop();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  });

  const waiting = (run: RunView) => run.status === 'waiting';

  async function pending(runId: string): Promise<Approval[]> {
    const answer = await sc.api<Approval[]>('GET', '/approvals?status=pending');
    expect(answer.status).toBe(200);
    return answer.body.data.filter((a) => a.run_id === runId);
  }

  it('waits across an orchestrator restart, is decided once, and resumes from the pinned version', async () => {
    const version1 = yaml([
      'name: Outreach',
      'steps:',
      '  - id: draft',
      '    prompt: "draft emails for {input.segment}"',
      '    simulation: { latency_ms: 1000 }',
      '  - id: approve_send',
      '    type: approval',
      '    depends_on: [draft]',
      '    message: "Send the emails drafted for {input.segment}?"',
      '    allow_edit: true',
      '  - id: send',
      '    depends_on: [approve_send]',
      '    prompt: "v1 send {steps.approve_send.output}"',
    ]);
    expect((await sc.api('POST', '/workflows', { name: 'outreach', content: version1 })).status).toBe(201);
    const runId = await sc.startRun({
      workflow: 'outreach',
      input: { segment: 'robots' },
      callback_url: callbackUrl,
    });
    const streamed = readStreamUntil(`${sc.stack.gatewayUrl}/runs/${runId}/stream`, 'event: approval', 5000);

    const paused = await sc.waitForRun(runId, waiting);
    expect(paused.steps.map((s) => [s.step_id, s.status])).toEqual([
      ['draft', 'completed'],
      ['approve_send', 'waiting'],
      ['send', 'pending'],
    ]);
    const [request] = await pending(runId);
    expect(request).toMatchObject({
      step_id: 'approve_send',
      status: 'pending',
      message: 'Send the emails drafted for robots?',
      data: { draft: paused.outputs['draft'] },
    });
    // The request was streamed as an event to a client that followed the run.
    const stream = await streamed;
    expect(stream).toContain('event: approval');

    // Announced by a signed webhook to the run's callback.
    const deadline = Date.now() + 10_000;
    while (!received.some((r) => r.event === 'approval.requested') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const hook = received.find((r) => r.event === 'approval.requested')!;
    expect(hook).toBeDefined();
    expect(hook.signature).toBe(`${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'approval.requested',
      run_id: runId,
      status: 'waiting',
      approval: { step_id: 'approve_send', message: 'Send the emails drafted for robots?', allow_edit: true },
    });

    // A newer version saved while the run waits must not change what it runs.
    const version2 = version1.replace('v1 send', 'v2 send');
    expect((await sc.api('POST', '/workflows', { name: 'outreach', content: version2 })).status).toBe(201);

    await sc.stack.kill('orchestrator', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await sc.stack.start('orchestrator');
    expect((await sc.getRun(runId)).status).toBe('waiting');
    expect(await pending(runId)).toHaveLength(1);

    // Two clicks at once: exactly one decision is taken.
    const decide = (comment: string) =>
      sc.api<Approval>('POST', `/runs/${runId}/approvals/approve_send`, {
        decision: 'approve',
        comment,
        edited_output: { emails: ['edited'] },
      });
    const answers = await Promise.all([decide('first'), decide('second')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.body.error?.code).toBe('APPROVAL_ALREADY_DECIDED');
    const winner = answers.find((a) => a.status === 200)!.body.data;
    expect(winner).toMatchObject({
      status: 'approved',
      decided_by: 'anonymous',
      edited_output: { emails: ['edited'] },
    });

    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.outputs['approve_send']).toEqual({ emails: ['edited'] });
    const [send] = await sc.db.query<{ prompt: string }[]>(
      `SELECT prompt FROM run_steps WHERE run_id = $1 AND step_id = 'send'`,
      [runId],
    );
    expect(send!.prompt).toBe('v1 send {"emails":["edited"]}');

    // The audit record: who, when, the comment; and a third decision is refused.
    const decided = await sc.api<Approval[]>('GET', '/approvals?status=approved');
    expect(decided.body.data.find((a) => a.run_id === runId)).toMatchObject({
      decided_by: 'anonymous',
      comment: winner.comment,
    });
    const late = await sc.api('POST', `/runs/${runId}/approvals/approve_send`, { decision: 'reject' });
    expect([late.status, late.body.error?.code]).toEqual([409, 'APPROVAL_ALREADY_DECIDED']);
  });

  it('times out through the engine: on_timeout reject fails the run, and the decision is recorded', async () => {
    const runId = await sc.startRun({
      workflow: yaml([
        'name: Expiring',
        'steps:',
        '  - id: gate',
        '    type: approval',
        '    message: "Go?"',
        '    timeout: 1',
        '    on_timeout: reject',
        '  - id: after',
        '    depends_on: [gate]',
        '    prompt: "never"',
      ]),
    });
    const run = await sc.waitForRun(
      runId,
      (r) => !['queued', 'running', 'waiting'].includes(r.status),
      20_000,
    );
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      "Step 'gate' was rejected by timeout: no decision before the timeout (on_timeout: reject)",
    );
    expect(run.steps.map((s) => [s.step_id, s.status])).toEqual([
      ['gate', 'failed'],
      ['after', 'cancelled'],
    ]);
    const late = await sc.api('POST', `/runs/${runId}/approvals/gate`, { decision: 'approve' });
    expect([late.status, late.body.error?.code]).toEqual([409, 'APPROVAL_ALREADY_DECIDED']);
  });

  it('on_timeout skip lets the run go on; cancel works while waiting', async () => {
    const skipped = await sc.startRun({
      workflow: yaml([
        'name: Skippable',
        'steps:',
        '  - { id: gate, type: approval, message: "Go?", timeout: 1, on_timeout: skip }',
        '  - { id: after, depends_on: [gate], prompt: "after {steps.gate.output}" }',
      ]),
    });
    const done = await sc.waitForRun(skipped, undefined, 20_000);
    expect(done.status).toBe('completed');
    expect(done.steps[0]).toMatchObject({ step_id: 'gate', status: 'skipped' });

    const cancelled = await sc.startRun({
      workflow: yaml(['name: Cancel me', 'steps:', '  - { id: gate, type: approval, message: "Go?" }']),
    });
    await sc.waitForRun(cancelled, waiting);
    const cancel = await sc.api('POST', `/runs/${cancelled}/cancel`);
    expect(cancel.status).toBe(200);
    expect((await sc.getRun(cancelled)).status).toBe('cancelled');
    expect(await pending(cancelled)).toEqual([]);
    const refused = await sc.api('POST', `/runs/${cancelled}/approvals/gate`, { decision: 'approve' });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'APPROVAL_ALREADY_DECIDED']);
  });
});

/** The SSE text of a run's stream until `marker` appears (or the time is up). */
async function readStreamUntil(url: string, marker: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!text.includes(marker)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch {
    // timed out: the caller's assertion says what was missing
  }
  await reader.cancel().catch(() => undefined);
  return text;
}
