// The approval store's SQL on real PostgreSQL.
import { EngineFixture } from './testing/engine-fixture';
import { expireApprovals } from './approval-store';

const GATE = `
name: Gate
steps:
  - id: go
    type: approval
    message: "Ship it?"
    timeout: 60
`;

describe('approval store (real PostgreSQL)', () => {
  const fx = new EngineFixture();

  beforeAll(() => fx.setUp('as'));
  afterAll(() => fx.tearDown());

  async function pending(runId: string, expiresIn: string): Promise<void> {
    await fx.db.query(
      `INSERT INTO approvals (run_id, step_id, tenant_id, workflow_name, message, on_timeout, expires_at)
       VALUES ($1, 'go', 'default', 'test', 'Ship it?', 'reject', now() + $2::interval)`,
      [runId, expiresIn],
    );
  }

  it('expireApprovals decides only the approvals past their timeout and names their runs once', async () => {
    const due = await fx.insertRun(GATE);
    const notYet = await fx.insertRun(GATE);
    await pending(due, '-1 second');
    await pending(notYet, '1 hour');

    expect(await expireApprovals(fx.db.manager, 100)).toEqual([due]);
    // Nothing left to expire: an empty answer, not a phantom run (TypeORM's [rows, count]).
    expect(await expireApprovals(fx.db.manager, 100)).toEqual([]);

    const rows = await fx.db.query<{ run_id: string; status: string; decided_by: string | null }[]>(
      `SELECT run_id, status, decided_by FROM approvals ORDER BY status`,
    );
    expect(rows).toEqual([
      { run_id: notYet, status: 'pending', decided_by: null },
      { run_id: due, status: 'rejected', decided_by: 'timeout' },
    ]);
  });
});
