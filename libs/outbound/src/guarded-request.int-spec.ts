import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { guardedRequest, type GuardedRequestOptions } from './guarded-request';
import { OutboundError } from './outbound-error';
import type { HostResolver } from './resolve-safe-address.util';

/** Real local HTTP servers; the "public" name is played by a resolver hook. */
describe('guardedRequest (real local servers)', () => {
  let server: http.Server;
  let base: string;
  let port: number;
  const sockets = new Set<Socket>();
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        const path = req.url ?? '/';
        if (path === '/redirect') {
          res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end('moved');
        } else if (path === '/secret') {
          res.end('the secret');
        } else if (path === '/slow') {
          res.writeHead(200);
          res.write('partial');
          // never ends: the client's timeout must close the socket
        } else if (path === '/hang') {
          // no answer at all
        } else if (path === '/big') {
          res.end(Buffer.alloc(1024 * 1024, 'x'));
        } else {
          res.setHeader('x-answer', 'yes');
          res.end(`hello ${req.method}`);
        }
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const options = (extra: Partial<GuardedRequestOptions> = {}): GuardedRequestOptions => ({
    timeoutMs: 5_000,
    maxResponseBytes: 64 * 1024,
    allowPrivate: true,
    ...extra,
  });

  async function failure(promise: Promise<unknown>): Promise<OutboundError> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(OutboundError);
      return error as OutboundError;
    }
    throw new Error('expected the request to fail');
  }

  it('refuses 127.0.0.1 by default and sends nothing', async () => {
    const error = await failure(guardedRequest(`${base}/`, options({ allowPrivate: false })));
    expect(error.code).toBe('UNSAFE_URL');
    expect(seen).toHaveLength(0);
  });

  it('refuses a public-looking name that resolves to 127.0.0.1, and sends nothing', async () => {
    const resolver: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const error = await failure(
      guardedRequest(`http://hooks.example.com:${port}/`, options({ allowPrivate: false, resolver })),
    );
    expect(error.code).toBe('UNSAFE_URL');
    expect(error.message).toBe('unsafe URL: the host resolves to a loopback address');
    expect(seen).toHaveLength(0);
  });

  it('sends method, headers and body with allowPrivate and answers status, headers and body', async () => {
    const answer = await guardedRequest(
      `${base}/hook?x=1`,
      options({
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sig': 'abc' },
        body: '{"a":1}',
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['x-answer']).toBe('yes');
    expect(answer.body.toString()).toBe('hello POST');
    expect(answer.truncated).toBe(false);
    expect(seen).toEqual([expect.objectContaining({ method: 'POST', url: '/hook?x=1', body: '{"a":1}' })]);
    expect(seen[0]?.headers['x-sig']).toBe('abc');
  });

  it('connects to the checked address, never resolving the name again (no rebinding gap)', async () => {
    // The name is resolved once, by the hook; the system resolver does not know it at all.
    const resolver = jest.fn<ReturnType<HostResolver>, Parameters<HostResolver>>(async () => [
      { address: '127.0.0.1', family: 4 },
    ]);
    const answer = await guardedRequest(`http://rebind-test.invalid:${port}/`, options({ resolver }));
    expect(answer.status).toBe(200);
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(seen[0]?.headers.host).toBe(`rebind-test.invalid:${port}`);
  });

  it('does not follow a redirect: the 302 is returned as it is', async () => {
    const answer = await guardedRequest(`${base}/redirect`, options());
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(`http://127.0.0.1:${port}/secret`);
    expect(seen.map((r) => r.url)).toEqual(['/redirect']);
  });

  it('times out when no answer comes, and closes the socket', async () => {
    const before = sockets.size;
    const error = await failure(guardedRequest(`${base}/hang`, options({ timeoutMs: 300 })));
    expect(error.code).toBe('TIMEOUT');
    await waitFor(() => sockets.size <= before);
  });

  it('times out a body that never ends, and closes the socket', async () => {
    const error = await failure(guardedRequest(`${base}/slow`, options({ timeoutMs: 300 })));
    expect(error.code).toBe('TIMEOUT');
    await waitFor(() => sockets.size === 0);
  });

  it('bounds the response body', async () => {
    const answer = await guardedRequest(`${base}/big`, options({ maxResponseBytes: 1000 }));
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(1000);
    expect(answer.truncated).toBe(true);
  });

  it('aborts on the signal, before or during the request', async () => {
    const early = new AbortController();
    early.abort();
    expect((await failure(guardedRequest(`${base}/`, options({ signal: early.signal })))).code).toBe(
      'ABORTED',
    );

    const late = new AbortController();
    const pending = guardedRequest(`${base}/hang`, options({ signal: late.signal }));
    setTimeout(() => late.abort(), 100);
    expect((await failure(pending)).code).toBe('ABORTED');
  });

  it('answers CONNECTION_FAILED for a closed port', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const error = await failure(guardedRequest(`http://127.0.0.1:${closedPort}/`, options()));
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toBe('the connection failed (ECONNREFUSED)');
  });

  it('answers DNS_FAILED for an unknown name', async () => {
    const resolver: HostResolver = async () => {
      throw new Error('getaddrinfo ENOTFOUND nowhere.invalid');
    };
    const error = await failure(guardedRequest('http://nowhere.invalid/', options({ resolver })));
    expect(error.code).toBe('DNS_FAILED');
    expect(error.message).not.toContain('nowhere');
  });

  it('never puts a header value or the URL into its error', async () => {
    const error = await failure(
      guardedRequest(`${base}/x?token=sekrit`, options({ headers: { 'x-bad': 'sekrit\r\nevil: 1' } })),
    );
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).not.toContain('sekrit');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(condition()).toBe(true);
}
