import { RunEntity } from '@sandcastle/persistence';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { createTestBackend, type TestBackend } from '../testing/test-backend';

const version = (prompt: string) => `name: Versioned\nsteps:\n  - id: only\n    prompt: "${prompt}"\n`;

/**
 * A run by name takes the latest saved version, although each gateway keeps the versions it has
 * read: two replicas on one database, one saving while the other runs.
 */
describe('runs of saved workflows across gateway replicas (real PostgreSQL and NATS)', () => {
  let backend: TestBackend;
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    backend = await createTestBackend('gwver');
    first = await startTestGateway({ backend });
    second = await startTestGateway({ backend });
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await backend?.dispose();
  });

  const runOn = async (gateway: TestGateway, input: Record<string, unknown> = {}) => {
    const answer = await gateway.api<{ run_id: string }>('POST', '/workflows/run', {
      workflow: 'versioned',
      input,
    });
    expect(answer.status).toBe(202);
    return backend.db.dataSource.getRepository(RunEntity).findOneByOrFail({ id: answer.data.run_id });
  };
  const promptOf = (run: RunEntity) => (run.definition as { steps: { prompt: string }[] }).steps[0]!.prompt;

  it('runs a version saved on another replica from its first run on', async () => {
    expect(
      (await first.api('POST', '/workflows', { name: 'versioned', content: version('v1') })).status,
    ).toBe(201);
    const before = await runOn(first);
    expect(before).toMatchObject({ workflowVersion: 1 });
    expect(promptOf(await runOn(first))).toBe('v1');

    // The first replica has v1 at hand; the second saves v2.
    expect(
      (await second.api('POST', '/workflows', { name: 'versioned', content: version('v2') })).status,
    ).toBe(201);
    const after = await runOn(first, { again: true });
    expect(after).toMatchObject({ workflowName: 'versioned', workflowVersion: 2 });
    expect(promptOf(after)).toBe('v2');
    expect(promptOf(await runOn(first))).toBe('v2');
  });

  it('answers 404 for a workflow deleted on another replica, although this one ran it before', async () => {
    const gone = 'name: Gone\nsteps:\n  - id: only\n    prompt: "x"\n';
    expect((await first.api('POST', '/workflows', { name: 'gone', content: gone })).status).toBe(201);
    expect((await first.api('POST', '/workflows/run', { workflow: 'gone' })).status).toBe(202);
    expect((await second.api('DELETE', '/workflows/gone')).status).toBe(200);
    const answer = await first.api('POST', '/workflows/run', { workflow: 'gone' });
    expect(answer.status).toBe(404);
    expect(answer.error?.code).toBe('WORKFLOW_NOT_FOUND');
  });
});
