import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli, USAGE_EXIT_CODE } from './cli';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A stand-in gateway on a real socket: each test routes requests as it needs. */
async function gateway(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const sse = (id: number, event: string, data: unknown) =>
  `id: ${id}\r\nevent: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;

const files: Record<string, string> = {
  'good.yaml': 'name: Good\nsteps:\n  - id: a\n    prompt: hi\n',
  'bad.yaml':
    'name: Bad\nsteps:\n  - id: a\n    prompt: hi\n  - id: b\n    depends_on: [scrap]\n    prompt: x\n    max_turns: 0\n',
};

async function cli(argv: string[], url = 'http://127.0.0.1:9') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env: { SANDCASTLE_URL: `${url}/`, SANDCASTLE_API_KEY: 'sc_test' },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return content;
    },
    signal: new AbortController().signal,
    reconnectDelayMs: 0,
  });
  return { code, out, err };
}

describe('sandcastle (the CLI against a stand-in gateway)', () => {
  const runView = (status: string) => ({
    run_id: 'r-1',
    workflow_name: 'flow',
    status,
    outputs: status === 'completed' ? { a: 'hello' } : {},
    error: status === 'completed' ? null : 'step a failed',
    total_cost_usd: 0.01,
    max_cost_usd: null,
    duration_seconds: 1.5,
    steps: [],
  });

  it('starts a run, follows it across a dropped connection, and exits 0 when it completed', async () => {
    const requests: {
      method?: string;
      url?: string;
      key?: string | string[];
      lastEventId?: string | string[];
      body: string;
    }[] = [];
    let connections = 0;
    const gw = await gateway((req, res, body) => {
      requests.push({
        method: req.method,
        url: req.url,
        key: req.headers['x-api-key'],
        lastEventId: req.headers['last-event-id'],
        body,
      });
      if (req.url === '/workflows/run')
        return json(res, 202, { data: { run_id: 'r-1', status: 'queued' }, error: null });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      connections++;
      if (connections === 1) {
        res.write(sse(4, 'status', runView('queued')));
        res.write(sse(5, 'status', { run_id: 'r-1', status: 'running' }));
        res.write(sse(6, 'step', { step_id: 'a', parallel_index: null, status: 'running', attempt: 1 }));
        // Half an event, then the connection drops.
        res.write('id: 7\r\nevent: step\r\n');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.write(
        sse(7, 'step', {
          step_id: 'a',
          parallel_index: null,
          status: 'completed',
          attempt: 1,
          cost_usd: 0.01,
        }),
      );
      res.end(sse(8, 'result', runView('completed')));
    });
    try {
      const { code, out, err } = await cli(
        ['run', 'flow', '--input', '{"topic":"x"}', '--max-cost', '2'],
        gw.url,
      );
      expect(code).toBe(0);
      expect(JSON.parse(requests[0]!.body)).toEqual({
        workflow: 'flow',
        input: { topic: 'x' },
        max_cost_usd: 2,
      });
      expect(requests.every((r) => r.key === 'sc_test')).toBe(true);
      expect(requests.slice(1).map((r) => r.lastEventId)).toEqual([undefined, '6']);
      expect(out).toEqual([
        'run r-1 (flow): queued',
        '  run running',
        '  ▸ a running',
        '  ✓ a completed  $0.0100',
        '✓ run r-1 completed',
        '  duration 1.5s, total cost $0.0100',
        'outputs:',
        '  a:\n    hello',
      ]);
      expect(err).toEqual([expect.stringMatching(/^connection lost \(.*\); resuming after event 6…$/)]);
    } finally {
      await gw.close();
    }
  });

  it('exits 1 when the followed run did not complete', async () => {
    const gw = await gateway((req, res) => {
      if (req.url === '/workflows/run')
        return json(res, 202, { data: { run_id: 'r-1', status: 'queued' }, error: null });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Connected late: the snapshot already has a finished step, which is shown as progress too.
      const snapshot = {
        ...runView('running'),
        steps: [
          {
            step_id: 'a',
            parallel_index: null,
            status: 'completed',
            attempt: 1,
            cost_usd: 0.01,
            error: null,
          },
          { step_id: 'b', parallel_index: null, status: 'pending', attempt: 0, cost_usd: 0, error: null },
        ],
      };
      res.end(sse(1, 'status', snapshot) + sse(2, 'result', runView('failed')));
    });
    try {
      const { code, out } = await cli(['run', 'flow'], gw.url);
      expect(code).toBe(1);
      expect(out.slice(0, 3)).toEqual([
        'run r-1 (flow): running',
        '  ✓ a completed  $0.0100',
        '✗ run r-1 failed: step a failed',
      ]);
    } finally {
      await gw.close();
    }
  });

  it('prints an API error as CODE: message with its details, exit code 1', async () => {
    const gw = await gateway((_req, res) =>
      json(res, 400, {
        data: null,
        error: {
          code: 'INVALID_WORKFLOW',
          message: 'the workflow is invalid',
          details: [{ field: 'steps[1].depends_on', message: "unknown step 'scrap'" }],
        },
      }),
    );
    try {
      const { code, out, err } = await cli(['run', 'bad.yaml', '--no-follow'], gw.url);
      expect(code).toBe(1);
      expect(out).toEqual([]);
      expect(err).toEqual([
        'INVALID_WORKFLOW: the workflow is invalid',
        "  steps[1].depends_on: unknown step 'scrap'",
      ]);
    } finally {
      await gw.close();
    }
  });

  it('sends a .yaml argument inline and prints the run id without following', async () => {
    let sent: unknown;
    const gw = await gateway((_req, res, body) => {
      sent = JSON.parse(body);
      json(res, 202, { data: { run_id: 'r-2', status: 'queued' }, error: null });
    });
    try {
      const { code, out } = await cli(['run', 'good.yaml', '--no-follow'], gw.url);
      expect(code).toBe(0);
      expect(sent).toEqual({ workflow: files['good.yaml'], input: {} });
      expect(out).toEqual(['run r-2 queued']);
    } finally {
      await gw.close();
    }
  });

  it('says so when the gateway cannot be reached', async () => {
    const { code, err } = await cli(['runs']);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^cannot reach Sandcastle at http:\/\/127\.0\.0\.1:9: /);
  });

  it('answers wrong usage with the usage text and exit code 2', async () => {
    const { code, err } = await cli(['runs', '--limit', 'x']);
    expect(code).toBe(USAGE_EXIT_CODE);
    expect(err[0]).toBe("sandcastle: --limit must be a whole number between 1 and 200 (got 'x')");
    expect(err.join('\n')).toContain('Usage: sandcastle <command>');
  });

  it('validates offline: every problem with its field, exit code 1 when invalid', async () => {
    const good = await cli(['validate', 'good.yaml']);
    expect(good).toMatchObject({ code: 0, out: ['good.yaml: valid — Good (1 step)'] });

    const bad = await cli(['validate', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.out[0]).toBe('bad.yaml: invalid — 2 problems');
    expect(bad.out.slice(1)).toEqual([
      expect.stringMatching(/^ {2}steps\[1\]\.max_turns: /),
      expect.stringMatching(/^ {2}steps\[1\]\.depends_on: .*scrap/),
    ]);

    const missing = await cli(['validate', 'nope.yaml']);
    expect(missing).toMatchObject({ code: 1, err: ['error: no such file: nope.yaml'] });
  });

  it('lists runs with the filters as query parameters', async () => {
    let url: string | undefined;
    const gw = await gateway((req, res) => {
      url = req.url;
      json(res, 200, {
        data: [
          {
            run_id: 'r-1',
            workflow_name: 'flow',
            status: 'failed',
            total_cost_usd: 0.5,
            created_at: '2026-03-02T10:15:00Z',
          },
        ],
        error: null,
        meta: { total: 1, limit: 5, offset: 0 },
      });
    });
    try {
      const { code, out } = await cli(
        ['runs', '--status', 'failed', '--workflow', 'flow', '--limit', '5'],
        gw.url,
      );
      expect(code).toBe(0);
      expect(url).toBe('/runs?status=failed&workflow=flow&limit=5');
      expect(out).toEqual([
        'RUN  WORKFLOW  STATUS  COST     CREATED',
        'r-1  flow      failed  $0.5000  2026-03-02 10:15:00Z',
      ]);
    } finally {
      await gw.close();
    }
  });
});
