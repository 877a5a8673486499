import { startTestGateway, type TestGateway } from '../testing/gateway-harness';

/** Size limits and unstorable text at the gateway: refused with 400 before anything is stored. */
describe('gateway limits (integration)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwlim',
      env: { MAX_WORKFLOW_STEPS: '20', MAX_INPUT_BYTES: '2048', MAX_WORKFLOW_BYTES: '8192' },
    });
  });
  afterAll(async () => {
    await gw.stop();
  });

  const chainYaml = (count: number) =>
    [
      'name: Long Chain',
      'steps:',
      ...Array.from({ length: count }, (_, i) =>
        i === 0 ? '  - id: s0\n    prompt: go' : `  - id: s${i}\n    prompt: go\n    depends_on: [s${i - 1}]`,
      ),
    ].join('\n');
  const okYaml = 'name: Small\nsteps:\n  - id: a\n    prompt: "hi {input.x}"\n';

  async function countRows(table: string): Promise<number> {
    const rows: { n: string }[] = await gw.db.dataSource.query(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]!.n);
  }

  it('refuses a workflow with too many steps: WORKFLOW_TOO_LARGE with the limit and the actual count', async () => {
    for (const [method, path, body] of [
      ['POST', '/workflows', { content: chainYaml(25) }],
      ['POST', '/workflows/run', { workflow: chainYaml(25) }],
    ] as const) {
      const answer = await gw.api(method, path, body);
      expect(answer.status).toBe(400);
      expect(answer.error).toEqual({
        code: 'WORKFLOW_TOO_LARGE',
        message: 'the workflow is too large',
        details: [
          {
            field: 'steps',
            message: 'the number of steps is 25, above the limit of 20 (MAX_WORKFLOW_STEPS)',
            limit: 20,
            actual: 25,
          },
        ],
      });
    }
    expect(await countRows('workflows')).toBe(0);
    expect(await countRows('runs')).toBe(0);
  });

  it('refuses workflow YAML above MAX_WORKFLOW_BYTES', async () => {
    const yaml = `${okYaml}description: "${'d'.repeat(9000)}"\n`;
    const answer = await gw.api('POST', '/workflows', { content: yaml });
    expect(answer.status).toBe(400);
    expect(answer.error).toMatchObject({
      code: 'WORKFLOW_TOO_LARGE',
      details: [{ field: 'yaml', limit: 8192, actual: Buffer.byteLength(yaml) }],
    });
  });

  it('refuses an input above MAX_INPUT_BYTES: INPUT_TOO_LARGE with the limit and the actual size', async () => {
    const input = { x: 'y'.repeat(3000) };
    const answer = await gw.api('POST', '/workflows/run', { workflow: okYaml, input });
    expect(answer.status).toBe(400);
    expect(answer.error).toMatchObject({
      code: 'INPUT_TOO_LARGE',
      details: [{ field: 'input', limit: 2048, actual: Buffer.byteLength(JSON.stringify(input)) }],
    });
    expect(await countRows('runs')).toBe(0);
  });

  it('refuses NUL and lone surrogates in the input with a 400 naming the field, never a 500', async () => {
    for (const text of ['a\u0000b', 'x\uD800']) {
      const answer = await gw.api('POST', '/workflows/run', {
        workflow: okYaml,
        input: { x: { deep: [text] } },
      });
      expect(answer.status).toBe(400);
      expect(answer.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'input.x.deep[0]' }],
      });
    }
    const nulPrompt = await gw.api('POST', '/workflows', {
      content: 'name: Nul\nsteps:\n  - id: a\n    prompt: "bad \\0 prompt"\n',
    });
    expect(nulPrompt.status).toBe(400);
    expect(nulPrompt.error).toMatchObject({
      code: 'INVALID_WORKFLOW',
      details: [{ field: 'steps[0].prompt' }],
    });
    expect(await countRows('runs')).toBe(0);
  });

  it('still accepts a run within every limit', async () => {
    const answer = await gw.api('POST', '/workflows/run', { workflow: okYaml, input: { x: 'fine' } });
    expect(answer.status).toBe(202);
  });
});
