import { randomUUID } from 'node:crypto';
import { RunEntity } from '@sandcastle/persistence';
import { addCommandConsumer, commandFor } from '../testing/command-reader';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import type { ApprovalView } from './approval.views';

describe('approval routes (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;

  async function insertRun(tenantId = 'default'): Promise<string> {
    const id = randomUUID();
    await gw.db.dataSource.getRepository(RunEntity).insert({
      id,
      tenantId,
      workflowName: 'outreach',
      workflowVersion: 1,
      definition: { title: 'Outreach', steps: [{ id: 'ok' }] },
      inputData: {},
      status: 'waiting',
      rootRunId: id,
    });
    return id;
  }

  async function insertApproval(
    runId: string,
    fields: { tenantId?: string; allowEdit?: boolean; data?: unknown; stepId?: string } = {},
  ): Promise<void> {
    await gw.db.dataSource.query(
      `INSERT INTO approvals (run_id, step_id, tenant_id, workflow_name, message, data, allow_edit)
       VALUES ($1, $2, $3, 'outreach', 'Go?', $4::jsonb, $5)`,
      [
        runId,
        fields.stepId ?? 'ok',
        fields.tenantId ?? 'default',
        JSON.stringify(fields.data ?? { n: 1 }),
        fields.allowEdit ?? false,
      ],
    );
  }

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'ap',
      env: { LOG_LEVEL: 'warn', MAX_EVENT_OUTPUT_BYTES: '1024', MAX_STEP_OUTPUT_BYTES: '2048' },
    });
    await addCommandConsumer(gw.nc, gw.names, 'approval-test', gw.names.subjects.runApproval);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('decides once, records who and why, and wakes the orchestrator with a deterministic id', async () => {
    const runId = await insertRun();
    await insertApproval(runId);
    const first = await gw.api<ApprovalView>('POST', `/runs/${runId}/approvals/ok`, {
      decision: 'skip',
      comment: 'not this week',
    });
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      status: 'skipped',
      decided_by: 'anonymous',
      comment: 'not this week',
    });
    const command = await commandFor(gw.nc, gw.names, 'approval-test', runId);
    expect(command).toMatchObject({
      msgId: `approval:${runId}:ok`,
      payload: { runId, stepId: 'ok', tenantId: 'default' },
    });
    const second = await gw.api('POST', `/runs/${runId}/approvals/ok`, { decision: 'approve' });
    expect([second.status, second.error?.code, second.error?.message]).toEqual([
      409,
      'APPROVAL_ALREADY_DECIDED',
      "the approval of step 'ok' was already decided: skipped by anonymous",
    ]);
  });

  it('of many concurrent decisions exactly one wins', async () => {
    const runId = await insertRun();
    await insertApproval(runId);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        gw.api('POST', `/runs/${runId}/approvals/ok`, { decision: i % 2 === 0 ? 'approve' : 'reject' }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
  });

  it('refuses bad decisions, edits without allow_edit, oversized edits, and unknown steps', async () => {
    const runId = await insertRun();
    await insertApproval(runId);
    const bad = await gw.api('POST', `/runs/${runId}/approvals/ok`, { decision: 'maybe' });
    expect([bad.status, bad.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    const edit = await gw.api('POST', `/runs/${runId}/approvals/ok`, {
      decision: 'approve',
      edited_output: { n: 2 },
    });
    expect([edit.status, edit.error?.details]).toEqual([
      400,
      [{ field: 'edited_output', message: "step 'ok' does not allow edits (allow_edit: false)" }],
    ]);
    const editable = await insertRun();
    await insertApproval(editable, { allowEdit: true });
    const huge = await gw.api('POST', `/runs/${editable}/approvals/ok`, {
      decision: 'approve',
      edited_output: { text: 'x'.repeat(5000) },
    });
    expect([huge.status, huge.error?.details?.[0]?.message]).toEqual([
      400,
      'edited_output is 5011 bytes, above the limit of 2048 (MAX_STEP_OUTPUT_BYTES)',
    ]);
    const rejectWithEdit = await gw.api('POST', `/runs/${editable}/approvals/ok`, {
      decision: 'reject',
      edited_output: { n: 2 },
    });
    expect(rejectWithEdit.status).toBe(400);
    // Still pending after every refusal.
    const edited = await gw.api<ApprovalView>('POST', `/runs/${editable}/approvals/ok`, {
      decision: 'approve',
      edited_output: { n: 2 },
    });
    expect(edited.data).toMatchObject({ status: 'approved', edited_output: { n: 2 } });
    const missing = await gw.api('POST', `/runs/${runId}/approvals/nope`, { decision: 'approve' });
    expect([missing.status, missing.error?.code]).toEqual([404, 'APPROVAL_NOT_FOUND']);
    const noRun = await gw.api('POST', `/runs/${randomUUID()}/approvals/ok`, { decision: 'approve' });
    expect([noRun.status, noRun.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);
  });

  it("lists only the tenant's approvals, filtered by status, with large data as a preview", async () => {
    const runId = await insertRun();
    await insertApproval(runId, { stepId: 'big', data: { text: 'y'.repeat(3000) } });
    const foreign = await insertRun('tenant-b');
    await insertApproval(foreign, { tenantId: 'tenant-b' });

    const pending = await gw.api<ApprovalView[]>('GET', '/approvals?status=pending&limit=200');
    expect(pending.status).toBe(200);
    expect(pending.data.every((a) => a.status === 'pending')).toBe(true);
    expect(pending.data.some((a) => a.run_id === foreign)).toBe(false);
    const big = pending.data.find((a) => a.run_id === runId)!;
    expect(big.data_truncated).toBe(true);
    expect(typeof big.data).toBe('string');
    expect((big.data as string).length).toBeLessThanOrEqual(1024);

    // Another tenant's approval cannot be decided (it does not exist for this tenant).
    const other = await gw.api('POST', `/runs/${foreign}/approvals/ok`, { decision: 'approve' });
    expect([other.status, other.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);

    const bad = await gw.api('GET', '/approvals?status=open');
    expect([bad.status, bad.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
  });
});
